#if canImport(Glibc)
import Glibc
#endif
import CNetDNSShim

/// Entry point: picks the subcommand and exits with its code.
TerminalOutput.prepare()
let code: ExitCode
if let arguments = ProcessArguments.read() {
    let rest = Array(arguments.dropFirst())
    switch arguments.first {
    case "analyze": code = AnalyzeCommand.run(rest)
    case "check": code = CheckCommand.run(rest)
    case "merge": code = MergeCommand.run(rest)
    case "watch": code = WatchCommand.run(rest)
    case "inspect": code = InspectCommand.run(rest)
    default: code = AnalyzeCommand.run(arguments)
    }
} else {
    TerminalOutput.error(ProcessArguments.emptyMessage)
    code = .usageOrInputError
}
exit(TerminalOutput.exitCode(code).rawValue)
