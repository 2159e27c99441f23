import NetDNSAudit

/// GitHub Actions workflow commands (`::error file=F,line=N,title=T::message`) for the
/// findings of a check, escaped as the runner expects.
struct GitHubAnnotations {
    func render(_ result: CheckResult) -> String {
        var out = ""
        for s in result.services {
            for f in s.findings { out += command(f) }
        }
        for f in result.inputs { out += command(f) }
        let level = result.passed ? "notice" : "error"
        out += "::\(level) title=netdns-audit::\(Self.escapeData(result.verdictLine))\n"
        return out
    }

    /// One annotation line.
    func command(_ f: PolicyFinding) -> String {
        let level = f.severity == .violation ? "error" : "warning"
        var properties: [String] = []
        if let loc = f.location, loc.file != "-" {
            properties.append("file=" + Self.escapeProperty(TextEscaping.terminalSafe(loc.file)))
            if let line = loc.line { properties.append("line=\(line)") }
        }
        // Text from logs (names, evidence, paths): control characters shown as \xNN, so only our
        // own line breaks remain and no ANSI sequence reaches the CI log.
        properties.append("title=" + Self.escapeProperty("netdns-audit \(f.rule.id): \(TextEscaping.terminalSafe(f.qualifiedService))"))
        var message = TextEscaping.terminalSafe(f.qualifiedService)
        if let i = f.instance { message += " (instance \(TextEscaping.terminalSafe(i)))" }
        message += ": \(f.message)"
        if !f.evidence.isEmpty { message += "\nevidence: \(TextEscaping.terminalSafe(f.evidence))" }
        if let loc = f.location { message += "\nat \(TextEscaping.terminalSafe(loc.file))\(loc.line.map { ":\($0)" } ?? "")" }
        return "::\(level) \(properties.joined(separator: ","))::\(Self.escapeData(message))\n"
    }

    /// Escapes a command's message: `%`, CR and LF.
    static func escapeData(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes a property value (`title`, `file`): as data, and also `:` and `,`.
    static func escapeProperty(_ text: String) -> String {
        // Data escaping never writes `:` or `,`, so they can be escaped after it.
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
