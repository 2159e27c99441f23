import Foundation
import NetDNSAudit

/// `netdns-audit merge REPORT.json...`: merges saved JSON reports into one report.
///
/// Every input may hold one report or many (one per line, or concatenated); `-` (the default)
/// reads standard input. A bad input refuses the whole merge: every bad input is named in
/// one line on standard error, nothing is printed on standard output, and the exit code is 2,
/// so that a fleet report silently missing a node can never be mistaken for a complete one.
enum MergeCommand {
    static let valued: Set<String> = ["format"]
    static let boolean: Set<String> = ["help", "no-color"]

    /// The output formats of `merge`.
    enum Format: String, CaseIterable {
        case table
        case json
        /// The JSON report on one line, for map/reduce pipelines (see `Scripts/fleet/`).
        case jsonLine = "json-line"
        case markdown
    }

    static func run(_ arguments: [String]) -> ExitCode {
        let args: CommandLineArguments
        do {
            args = try CommandLineArguments(arguments, valued: valued, boolean: boolean)
        } catch {
            TerminalOutput.error("\(error.description) (see --help)")
            return .usageOrInputError
        }
        if args.has("help") { TerminalOutput.write(HelpText.merge); return .success }
        let formatName = args.value("format") ?? "table"
        guard let format = Format(rawValue: formatName) else {
            TerminalOutput.error("--format must be \(Format.allCases.map(\.rawValue).joined(separator: ", ")), not '\(formatName)'")
            return .usageOrInputError
        }
        let inputs = args.positional.isEmpty ? [InputSpec.standardInput] : args.positional.map(InputSpec.init(argument:))
        guard inputs.filter({ $0 == .standardInput }).count <= 1 else {
            TerminalOutput.error("standard input (-) can be read only once")
            return .usageOrInputError
        }

        var summary = AuditSummary()
        var problems: [SavedReportError] = []
        let reader = SavedReportReader()
        for input in inputs {
            do {
                try reader.read(input) { summary.merge($0.summary) }
            } catch {
                problems.append(error)
            }
        }
        guard problems.isEmpty else {
            for problem in problems { TerminalOutput.error(problem.description) }
            return .usageOrInputError
        }

        let report = AuditReport(summary)
        switch format {
        case .json, .jsonLine:
            do { TerminalOutput.write(try encode(report, oneLine: format == .jsonLine)) } catch {
                TerminalOutput.error("cannot encode the report: \(error)")
                return .usageOrInputError
            }
        case .table:
            TerminalOutput.write(TableRenderer(colour: TerminalOutput.colourAllowed && !args.has("no-color")).render(report))
        case .markdown:
            TerminalOutput.write(MarkdownRenderer().render(report))
        }
        return .success
    }

    /// The report as pretty JSON (the `analyze --format json` layout), or on a single line.
    static func encode(_ report: AuditReport, oneLine: Bool) throws -> Data {
        guard oneLine else { return try report.jsonData() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(report)
        data.append(0x0A)
        return data
    }
}
