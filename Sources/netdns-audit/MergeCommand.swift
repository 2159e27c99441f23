import Foundation
import NetDNSAudit

/// `netdns-audit merge REPORT.json...`: merges saved JSON reports into one report.
///
/// Every input may hold one report or many (one per line, or concatenated); `-` (the default)
/// reads standard input. A bad input refuses the whole merge: every bad input is named in
/// one line on standard error, nothing is printed on standard output, and the exit code is 2,
/// so that a fleet report silently missing a node can never be mistaken for a complete one.
enum MergeCommand {
    static func run(_ arguments: [String]) -> ExitCode {
        guard let args = CommandLineArguments.parse(arguments, for: .merge) else { return .usageOrInputError }
        if let code = args.answerHelpOrVersion() { return code }
        let format = ReportOutput.format(args)
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
        let colour = TerminalOutput.colourAllowed && !args.has("no-color")
        guard ReportOutput.write(report, as: format, colour: colour) else { return .usageOrInputError }
        return .success
    }
}
