import NetDNSAudit

/// Renders a report as a GitHub-flavoured Markdown table (`analyze --format markdown`, and the
/// service table of the `check` step summary). Text taken from logs is escaped.
struct MarkdownRenderer {
    func render(_ report: AuditReport) -> String {
        var out = "| Service | Instances | Processes | Verdict | Go lookups | cgo lookups | DNS failures | nxdomain | servfail | timeout | refused | temporary | other | libc |\n"
        out += "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n"
        for s in report.services {
            let c = s.failures.byClass
            let cells = [
                Self.escape(s.namespace.map { "\($0)/\(s.name)" } ?? s.name),
                String(s.instanceCount), String(s.processes), Self.verdictCell(s.verdict),
                s.lookups.traced ? String(s.lookups.go) : "-", s.lookups.traced ? String(s.lookups.cgo) : "-",
                String(s.failures.total), String(c[.nxdomain]), String(c[.servfail]), String(c[.timeout]),
                String(c[.refused]), String(c[.temporary]), String(c[.nodata] + c[.other]),
                s.libc.isEmpty ? "-" : s.libc.map(\.rawValue).joined(separator: ", "),
            ]
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        if report.services.isEmpty { out += "\n_No services found._\n" }
        let t = report.totals
        out += "\n\(t.files) input(s), \(t.lines) lines: \(t.recognisedTraceLines) trace lines, \(t.failures) DNS failures"
        if t.readErrors > 0 { out += ", \(t.readErrors) read error(s)" }
        if !t.binaryFilesSkipped.isEmpty { out += ", \(t.binaryFilesSkipped.count) skipped as binary" }
        out += ".\n"
        return out
    }

    static func verdictCell(_ verdict: Verdict) -> String {
        switch verdict {
        case .pureGo: return "pure-go"
        case .cgo: return "**cgo**"
        case .mixed: return "**mixed**"
        case .undetermined: return "_undetermined_"
        }
    }

    /// Escapes text for a Markdown table cell or paragraph: `|`, Markdown punctuation and HTML
    /// characters are neutralised; control characters (line breaks included) are shown as `\xNN` and
    /// invisible bidirectional and zero-width characters as `\u{XXXX}`.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "|", "`", "\\", "*", "_", "[", "]", "#", "~", "!": out += "\\" + String(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) {
                    out += "\\\\x" + String(v, radix: 16).leftPadded(2)
                } else if TextEscaping.isInvisibleFormat(v) {
                    out += "\\\\u{" + String(v, radix: 16).leftPadded(4) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
