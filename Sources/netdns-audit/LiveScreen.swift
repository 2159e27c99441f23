import NetDNSAudit

/// The `watch` screen: a pure function of the analysis so far, the time, and the terminal size.
struct LiveScreen {
    /// What one frame shows.
    struct Frame {
        var report: AuditReport
        /// The newest trace or failure message per service (key: ``LiveScreen/serviceKey(_:)``).
        var latest: [String: String]
        var elapsed: Double
        var linesPerSecond: Double
        /// What is read: `standard input`, or `3 file(s)`.
        var source: String
        var columns: Int
        var rows: Int
    }

    var colour: Bool = false

    /// The key of a service: `namespace/name`, or `name`.
    static func serviceKey(name: String, namespace: String?) -> String {
        namespace.map { "\($0)/\(name)" } ?? name
    }

    /// Worst first: cgo, mixed, undetermined, pure-go; then most failures; then name.
    static func sorted(_ services: [ServiceReport]) -> [ServiceReport] {
        services.sorted {
            if $0.verdict != $1.verdict { return $0.verdict < $1.verdict }
            if $0.failures.total != $1.failures.total { return $0.failures.total > $1.failures.total }
            return serviceKey(name: $0.name, namespace: $0.namespace) < serviceKey(name: $1.name, namespace: $1.namespace)
        }
    }

    /// The frame's lines, each at most `columns` wide, at most `rows` of them.
    func lines(_ frame: Frame) -> [String] {
        let width = max(frame.columns, 20)
        let t = frame.report.totals
        var out: [String] = []
        let header = "netdns-audit watch  \(Self.clock(frame.elapsed))  \(t.lines) lines  \(Int(frame.linesPerSecond.rounded())) lines/s  "
            + "\(frame.report.services.count) service(s)  \(t.failures) failure(s)  [\(TextEscaping.terminalSafe(frame.source))]"
        out.append(Self.cut(header, width))
        out.append("")
        var table: [[String]] = [["SERVICE", "INST", "VERDICT", "LINES", "GO", "CGO", "FAIL", "FAULTS", "LATEST EVIDENCE"]]
        let services = Self.sorted(frame.report.services)
        for s in services {
            let key = Self.serviceKey(name: s.name, namespace: s.namespace)
            table.append([
                TextEscaping.terminalSafe(key), String(s.instanceCount), s.verdict.rawValue,
                String(s.instances.map(\.counters.lines).reduce(0, +)),
                s.lookups.traced ? String(s.lookups.go) : "-", s.lookups.traced ? String(s.lookups.cgo) : "-",
                String(s.failures.total), TableRenderer.faultsCell(s.faults), TextEscaping.terminalSafe(frame.latest[key] ?? ""),
            ])
        }
        let fixed = table[0].count - 1
        var widths = (0..<fixed).map { col in table.map { TextEscaping.visibleWidth($0[col]) }.max() ?? 0 }
        widths[0] = min(widths[0], max(12, width / 3))
        let footer = services.isEmpty ? "(no services yet)" : "Ctrl-C: stop and print the report"
        // Rows left for services: title, blank, column names, blank, footer.
        let room = max(1, frame.rows - 5)
        let shown = services.count <= room ? services.count : room - 1
        for (r, row) in table.enumerated() {
            if r > shown {
                out.append("... and \(services.count - shown) more service(s)")
                break
            }
            var line = ""
            var plain = ""
            for col in 0..<fixed {
                let cell = Self.cut(row[col], widths[col])
                let padded = cell + String(repeating: " ", count: widths[col] - TextEscaping.visibleWidth(cell))
                plain += padded + "  "
                line += (r > 0 && col == 2 ? paint(padded, row[col]) : padded) + "  "
            }
            let left = width - TextEscaping.visibleWidth(plain)
            if left > 0 {
                line += Self.cut(row[fixed], left)
            } else {
                // Too narrow for the fixed columns: cut the plain text instead of the painted one.
                line = Self.cut(plain, width)
            }
            out.append(line.replacingTrailingSpaces())
        }
        out.append("")
        out.append(Self.cut(footer, width))
        return out
    }

    func paint(_ text: String, _ verdictName: String) -> String {
        guard colour, let verdict = Verdict(rawValue: verdictName) else { return text }
        return TableRenderer(colour: true).paint(text, verdict: verdict)
    }

    /// `h:mm:ss`.
    static func clock(_ seconds: Double) -> String {
        let s = max(0, Int(seconds))
        return "\(s / 3600):" + String(s / 60 % 60).leftPadded(2) + ":" + String(s % 60).leftPadded(2)
    }

    /// At most `width` columns; a cut ends in `…`.
    static func cut(_ text: String, _ width: Int) -> String {
        guard TextEscaping.visibleWidth(text) > width else { return text }
        guard width > 1 else { return String(String.UnicodeScalarView(text.unicodeScalars.prefix(max(0, width)))) }
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix(width - 1))) + "…"
    }
}
