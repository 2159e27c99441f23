import NetDNSAudit

/// Renders a check result as JUnit XML (GitLab `artifacts:reports:junit`, Jenkins `junit`):
/// one testcase per service; a service with violations fails, warnings and exemptions are
/// notes in `<system-out>`.
struct JUnitRenderer {
    var suiteName = "netdns-audit check"

    func render(_ result: CheckResult) -> String {
        let tests = result.services.count + result.inputs.count
        let failures = result.failedServices.count + result.inputs.filter { $0.severity == .violation }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let counts = "tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"0\""
        out += "<testsuites name=\"\(Self.escape(suiteName))\" \(counts)>\n"
        out += "  <testsuite name=\"\(Self.escape(suiteName))\" \(counts)>\n"
        for s in result.services {
            out += "    <testcase classname=\"\(Self.escape(s.namespace ?? "services"))\" name=\"\(Self.escape(s.name))\" time=\"0\""
            let violations = s.violations
            var notes: [String] = []
            notes.append("verdict: \(s.verdict?.rawValue ?? "not in the input")")
            if let pattern = s.allowedBy { notes.append("allowed by --allow '\(pattern)'") }
            for f in s.exempted { notes.append("exempted: " + Self.text(f)) }
            for f in s.warnings { notes.append("warning: " + Self.text(f)) }
            out += ">\n"
            if !violations.isEmpty {
                let rules = Set(violations.map(\.rule)).sorted().map(\.id)
                let message = violations.count == 1
                    ? "\(violations[0].rule.id): \(violations[0].message)"
                    : "\(violations.count) violations: " + rules.joined(separator: ", ")
                out += "      <failure message=\"\(Self.escape(message))\" type=\"\(Self.escape(rules.joined(separator: ",")))\">"
                out += Self.escape(violations.map(Self.text).joined(separator: "\n"))
                out += "</failure>\n"
            }
            out += "      <system-out>\(Self.escape(notes.joined(separator: "\n")))</system-out>\n"
            out += "    </testcase>\n"
        }
        for f in result.inputs {
            // A skipped input: its own test case, failed or passed with a warning by `--on-skipped`.
            out += "    <testcase classname=\"inputs\" name=\"\(Self.escape(f.service))\" time=\"0\">\n"
            if f.severity == .violation {
                out += "      <failure message=\"\(Self.escape("\(f.rule.id): \(f.message)"))\" type=\"\(f.rule.id)\">"
                out += Self.escape(Self.text(f)) + "</failure>\n"
            } else {
                out += "      <system-out>\(Self.escape("warning: " + Self.text(f)))</system-out>\n"
            }
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    /// One finding in a line: rule, instance, message, evidence and place.
    static func text(_ f: PolicyFinding) -> String {
        var s = f.rule.id
        if let i = f.instance { s += " [\(i)]" }
        s += ": \(f.message)"
        if !f.evidence.isEmpty { s += ": \(f.evidence)" }
        if let loc = f.location { s += " (\(loc.file)\(loc.line.map { ":\($0)" } ?? ""))" }
        return s
    }

    /// Escapes text for XML 1.0 content and attribute values: the five special characters,
    /// tab, CR and LF as character references (kept in attributes), and characters XML 1.0
    /// cannot carry (other C0 controls, U+FFFE, U+FFFF) as the visible text `\xNN`.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF {
                    out += "\\x" + String(v, radix: 16).leftPadded(2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
