import Foundation
import NetDNSAudit

/// Prints a finished report the same way for `analyze`, `watch` and `merge`.
enum ReportOutput {
    /// The report formats; `json-line` (one report per line) is for `merge`'s map/reduce use.
    enum Format: String, CaseIterable {
        case table
        case json
        case jsonLine = "json-line"
        case markdown
    }

    /// One line on standard error per input skipped as binary: it was not read, and a report
    /// that says nothing of it would look complete.
    static func noteSkipped(_ totals: InputTotals) {
        for path in totals.binaryFilesSkipped { TerminalOutput.error("\(path): skipped as binary (not a log), not analysed") }
    }

    /// `--format` (checked against the command's formats when parsed), `table` when not given.
    static func format(_ args: CommandLineArguments) -> Format {
        args.value("format").flatMap(Format.init(rawValue:)) ?? .table
    }

    /// Writes `report` to standard output; returns false (after a one-line error) if it could not be encoded.
    static func write(_ report: AuditReport, as format: Format, colour: Bool, grouping: ReportGrouping = .service) -> Bool {
        switch format {
        case .json:
            do {
                // In pieces: the memory of one instance's JSON, not of the whole document.
                try report.writeJSON { TerminalOutput.write(JSONOutputEscaping.terminalSafe($0)) }
            } catch {
                TerminalOutput.error("cannot encode the report: \(error)")
                return false
            }
        case .jsonLine:
            do {
                TerminalOutput.write(JSONOutputEscaping.terminalSafe(try encode(report, oneLine: true)))
            } catch {
                TerminalOutput.error("cannot encode the report: \(error)")
                return false
            }
        case .markdown:
            TerminalOutput.write(MarkdownRenderer(grouping: grouping).render(report))
        case .table:
            TerminalOutput.write(TableRenderer(colour: colour, grouping: grouping).render(report))
        }
        return true
    }

    /// The report as pretty JSON (the `analyze --format json` layout), or on a single line.
    static func encode(_ report: AuditReport, oneLine: Bool) throws -> Data {
        try report.jsonData(oneLine: oneLine)
    }
}
