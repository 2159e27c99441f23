import Foundation
import NetDNSAudit

/// `netdns-audit [analyze] [INPUT...]`: reads logs, prints the report.
enum AnalyzeCommand {
    static func run(_ arguments: [String]) -> ExitCode {
        guard let args = CommandLineArguments.parse(arguments, for: .analyze) else { return .usageOrInputError }
        if let code = args.answerHelpOrVersion() { return code }
        let format = ReportOutput.format(args)
        let grouping = args.grouping
        var options = analyzerOptions(args)
        let inputs = args.positional.isEmpty ? [InputSpec.standardInput] : args.positional.map(InputSpec.init(argument:))
        let progress = BatchProgress.start(for: inputs, arguments: args, options: &options)
        let result = Analyzer(options: options).analyze(inputs)
        progress?.finish()
        for error in result.errors { TerminalOutput.error(error.description) }
        ReportOutput.noteSkipped(result.summary.totals)
        let report = AuditReport(result.summary.grouped(by: grouping))
        let colour = TerminalOutput.colourAllowed && !args.has("no-color")
        guard ReportOutput.write(report, as: format, colour: colour, grouping: grouping) else { return .usageOrInputError }
        return result.errors.isEmpty ? .success : .usageOrInputError
    }

    /// The analyzer settings shared by `analyze`, `check` and `watch` (their values were
    /// checked when the command line was parsed).
    static func analyzerOptions(_ args: CommandLineArguments) -> AnalyzerOptions {
        var options = AnalyzerOptions()
        if let name = args.value("envelope"), let kind = EnvelopeKind(rawValue: name) { options.envelope = kind }
        if let service = args.value("service") { options.service = service }
        if let text = args.value("max-line-bytes"), let n = Int(text) { options.maxLineBytes = n }
        if let text = args.value("jobs"), let n = Int(text) { options.jobs = n }
        if args.has("mmap") { options.memoryMap = true }
        return options
    }
}
