import Foundation
import NetDNSAudit

/// `netdns-audit [analyze] [INPUT...]`: reads logs, prints the report.
enum AnalyzeCommand {
    static let valued: Set<String> = ["format", "service", "envelope", "max-line-bytes", "group-by", "jobs"]
    static let boolean: Set<String> = ["help", "version", "no-color", "quiet", "no-progress", "mmap"]

    static func run(_ arguments: [String]) -> ExitCode {
        guard let args = CommandLineArguments.parse(arguments, valued: valued, boolean: boolean, help: "--help") else {
            return .usageOrInputError
        }
        if args.has("help") { TerminalOutput.write(HelpText.main); return .success }
        if args.has("version") { TerminalOutput.write("netdns-audit \(NetDNSAuditVersion.current)\n"); return .success }
        guard let format = ReportOutput.format(args) else { return .usageOrInputError }
        var options: AnalyzerOptions
        do {
            options = try analyzerOptions(args)
        } catch {
            TerminalOutput.error(error.description)
            return .usageOrInputError
        }
        let inputs = args.positional.isEmpty ? [InputSpec.standardInput] : args.positional.map(InputSpec.init(argument:))
        let progress = BatchProgress.start(for: inputs, arguments: args, options: &options)
        let result = Analyzer(options: options).analyze(inputs)
        progress?.finish()
        for error in result.errors { TerminalOutput.error(error.description) }
        ReportOutput.noteSkipped(result.summary.totals)
        let grouping: ReportGrouping
        if let name = args.value("group-by") {
            guard let g = ReportGrouping(rawValue: name) else {
                TerminalOutput.error("--group-by must be service, namespace or instance, not '\(name)'")
                return .usageOrInputError
            }
            grouping = g
        } else {
            grouping = .service
        }
        let report = AuditReport(result.summary.grouped(by: grouping))
        let colour = TerminalOutput.colourAllowed && !args.has("no-color")
        guard ReportOutput.write(report, as: format, colour: colour, grouping: grouping) else { return .usageOrInputError }
        return result.errors.isEmpty ? .success : .usageOrInputError
    }

    /// The analyzer settings shared by `analyze`, `check` and `watch`.
    static func analyzerOptions(_ args: CommandLineArguments) throws(UsageError) -> AnalyzerOptions {
        var options = AnalyzerOptions()
        if let name = args.value("envelope") {
            guard let kind = EnvelopeKind(rawValue: name) else {
                throw UsageError("--envelope must be one of \(EnvelopeKind.allCases.map(\.rawValue).joined(separator: ", ")), not '\(name)'")
            }
            options.envelope = kind
        }
        if let service = args.value("service") {
            guard !service.isEmpty else { throw UsageError("--service needs a non-empty name") }
            options.service = service
        }
        if let text = args.value("max-line-bytes") {
            guard let n = Int(text), n >= 1024, n <= 1 << 30 else { throw UsageError("--max-line-bytes takes a number from 1024 to 1073741824") }
            options.maxLineBytes = n
        }
        if let text = args.value("jobs") {
            guard let n = Int(text), n >= 1, n <= 1024 else { throw UsageError("--jobs takes a number from 1 to 1024") }
            options.jobs = n
        }
        if args.has("mmap") { options.memoryMap = true }
        return options
    }
}
