import NetDNSAudit

/// Renders a report as a human table: one row per service, a footer with totals, a legend.
struct TableRenderer {
    var colour: Bool
    /// What a row stands for: the title of the first column.
    var grouping: ReportGrouping = .service

    func render(_ report: AuditReport) -> String {
        var rows: [[String]] = [[grouping.rawValue.uppercased(), "INST", "PROC", "VERDICT", "GO", "CGO", "FAIL", "NXDOMAIN", "SERVFAIL", "TIMEOUT", "REFUSED", "TEMP", "OTHER", "LIBC", "FAULTS"]]
        for s in report.services {
            let c = s.failures.byClass
            rows.append([
                s.namespace.map { "\($0)/\(s.name)" } ?? s.name,
                String(s.instanceCount), String(s.processes), s.verdict.rawValue,
                s.lookups.traced ? String(s.lookups.go) : "-", s.lookups.traced ? String(s.lookups.cgo) : "-",
                String(s.failures.total), String(c[.nxdomain]), String(c[.servfail]), String(c[.timeout]),
                String(c[.refused]), String(c[.temporary]), String(c[.nodata] + c[.other]),
                s.libc.isEmpty ? "-" : s.libc.map(\.rawValue).joined(separator: ","),
                Self.faultsCell(s.faults),
            ])
        }
        let widths = rows[0].indices.map { col in rows.map { TextEscaping.visibleWidth($0[col]) }.max() ?? 0 }
        var out = ""
        for (r, row) in rows.enumerated() {
            var line = ""
            for (col, cell) in row.enumerated() {
                let safe = r == 0 ? cell : TextEscaping.terminalSafe(cell)
                var padded = safe + String(repeating: " ", count: max(0, widths[col] - TextEscaping.visibleWidth(safe)))
                if col == 3, r > 0 { padded = paint(padded, verdict: report.services[r - 1].verdict) }
                line += (col == 0 ? "" : "  ") + padded
            }
            out += line.replacingTrailingSpaces() + "\n"
        }
        if report.services.isEmpty { out += "(no services found)\n" }
        let t = report.totals
        out += "\n"
        out += "\(t.files) input(s), \(t.bytes) bytes, \(t.lines) lines: \(t.recognisedTraceLines) trace, \(t.failureLines) with DNS failures (\(t.failures) failures), "
        out += "\(t.unrecognisedTraceLines) unrecognised trace, \(t.tornLines) torn, \(t.overlongLines) over-long"
        if t.unattributedLines > 0 { out += ", \(t.unattributedLines) unattributed" }
        if t.readErrors > 0 { out += ", \(t.readErrors) read error(s)" }
        if !t.binaryFilesSkipped.isEmpty { out += ", \(t.binaryFilesSkipped.count) skipped as binary" }
        out += "\n"
        out += "GO/CGO: lookups by path from hostLookupOrder lines (\"-\": below GODEBUG=netdns=2, successful lookups leave no trace).\n"
        out += "VERDICT: pure-go, cgo, mixed (both paths, or instances disagree), undetermined (nothing shows the path). OTHER includes nodata.\n"
        out += footer(report)
        return out
    }

    /// `kind:count` for each fault kind of the service (`-` for none).
    static func faultsCell(_ faults: FaultTally?) -> String {
        guard let faults, !faults.byKind.isEmpty else { return "-" }
        return faults.byKind.sortedKeys.map { "\($0.rawValue):\(faults.byKind[$0])" }.joined(separator: ",")
    }

    /// The footer lines of part 2: why each cgo or mixed service is, the first line of each
    /// fault, and what to change. Every text from the logs is made terminal-safe.
    func footer(_ report: AuditReport) -> String {
        var out = ""
        for s in report.services where s.cause != nil || s.faults != nil {
            let name = TextEscaping.terminalSafe(s.namespace.map { "\($0)/\(s.name)" } ?? s.name)
            out += "\n\(name) (\(s.verdict.rawValue)):\n"
            for line in s.cause ?? [] { out += "  why: \(line)\n" }
            if let faults = s.faults {
                for kind in faults.byKind.sortedKeys {
                    var words = "  fault: \(kind.rawValue) (\(kind.phrase)), \(faults.byKind[kind])x"
                    if kind == .glibcVersion, let v = faults.highestGlibc { words += ", needs \(v)" }
                    if kind == .cgoResolverStack { words += ", \(faults.getaddrinfoGoroutines) goroutine(s) in getaddrinfo" }
                    if let first = faults.first[kind] {
                        words += "; first at \(TextEscaping.terminalSafe(first.file)):\(first.line): \(TextEscaping.terminalSafe(first.text))"
                    }
                    out += words + "\n"
                }
            }
            for line in s.advice ?? [] { out += "  change: \(line)\n" }
        }
        if !out.isEmpty {
            out += "\nFAULTS: build and image faults from the logs, by kind (docs/faults.md); 'change:' lines follow the base-image decision tree.\n"
        }
        return out
    }

    func paint(_ text: String, verdict: Verdict) -> String {
        guard colour else { return text }
        let code: String
        switch verdict {
        case .pureGo: code = "32"
        case .cgo: code = "31"
        case .mixed: code = "33"
        case .undetermined: code = "2"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

extension String {
    func replacingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
