import NetDNSAudit

/// Renders a report as a GitHub-flavoured Markdown table (`analyze --format markdown`, and the
/// analysis table of the `check` step summary). Names taken from logs are code spans
/// (``code(_:inTable:)``): nothing in them can become a link, HTML or formatting.
struct MarkdownRenderer {
    /// What a row is: the first column is named after it (`--group-by`).
    var grouping: ReportGrouping = .service

    /// The first column's header.
    var nameHeader: String {
        switch grouping {
        case .service: return "Service"
        case .namespace: return "Namespace"
        case .instance: return "Instance"
        }
    }

    func render(_ report: AuditReport) -> String {
        var out = "| \(nameHeader) | Instances | Processes | Verdict | Go lookups | cgo lookups | DNS failures | nxdomain | servfail | timeout | refused | temporary | other | libc | faults |\n"
        out += "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n"
        for s in report.services {
            let c = s.failures.byClass
            let cells = [
                Self.code(s.namespace.map { "\($0)/\(s.name)" } ?? s.name, inTable: true),
                String(s.instanceCount), String(s.processes), Self.verdictCell(s.verdict),
                s.lookups.traced ? String(s.lookups.go) : "-", s.lookups.traced ? String(s.lookups.cgo) : "-",
                String(s.failures.total), String(c[.nxdomain]), String(c[.servfail]), String(c[.timeout]),
                String(c[.refused]), String(c[.temporary]), String(c[.nodata] + c[.other]),
                s.libc.isEmpty ? "-" : s.libc.map(\.rawValue).joined(separator: ", "),
                Self.escape(TableRenderer.faultsCell(s.faults).replacingOccurrences(of: ",", with: ", ")),
            ]
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        if report.services.isEmpty { out += "\n_No \(grouping == .service ? "services" : grouping == .namespace ? "namespaces" : "instances") found._\n" }
        let t = report.totals
        out += "\n\(t.files) input(s), \(t.lines) lines: \(t.recognisedTraceLines) trace lines, \(t.failures) DNS failures"
        if t.readErrors > 0 { out += ", \(t.readErrors) read error(s)" }
        if !t.binaryFilesSkipped.isEmpty { out += ", \(t.binaryFilesSkipped.count) skipped as binary" }
        out += ".\n"
        out += causes(report)
        return out
    }

    /// Why each cgo or mixed service is, its faults (first line, file and line) and what to
    /// change, as a list under the table; names and lines from the logs are code spans.
    func causes(_ report: AuditReport) -> String {
        var out = ""
        for s in report.services where s.cause != nil || s.faults != nil {
            out += "\n\(Self.code(s.namespace.map { "\($0)/\(s.name)" } ?? s.name)) (\(s.verdict.rawValue))\n\n"
            for line in s.cause ?? [] { out += "- why: \(Self.escape(line))\n" }
            if let faults = s.faults {
                for kind in faults.byKind.sortedKeys {
                    var words = "- fault: \(kind.rawValue) (\(kind.phrase)), \(faults.byKind[kind])x"
                    if kind == .glibcVersion, let v = faults.highestGlibc { words += ", needs \(v)" }
                    if kind == .cgoResolverStack { words += ", \(faults.getaddrinfoGoroutines) goroutine(s) in getaddrinfo" }
                    words = Self.escape(words)
                    if let first = faults.first[kind] {
                        words += "; first at \(Self.code(first.file)):\(first.line): \(Self.code(first.text))"
                    }
                    out += words + "\n"
                }
            }
            for line in s.advice ?? [] { out += "- change: \(Self.escape(line))\n" }
        }
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

    /// Text from logs as a Markdown code span, which GitHub shows literally: no emphasis, HTML,
    /// entity or (auto)link is recognised inside one (CommonMark 6.1). Control and invisible
    /// characters are first shown as ``TextEscaping`` does; in a table cell `|` is shown as
    /// `\x7c` (a pipe ends a cell even inside a code span). The fence is one backtick longer than
    /// the longest run in the text, padded with spaces when the text starts or ends with a
    /// backtick or a space. Empty text is shown as `(empty)`.
    static func code(_ text: String, inTable: Bool = false) -> String {
        var body = TextEscaping.terminalSafe(text)
        if inTable { body = body.replacingOccurrences(of: "|", with: "\\x7c") }
        guard !body.isEmpty else { return "_(empty)_" }
        var longest = 0, run = 0
        for c in body.utf8 {
            run = c == UInt8(ascii: "`") ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let allSpaces = body.utf8.allSatisfy { $0 == UInt8(ascii: " ") }
        let pad = !allSpaces && (body.first == "`" || body.last == "`" || (body.first == " " && body.last == " ")) ? " " : ""
        return fence + pad + body + pad + fence
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
