#if canImport(Glibc)
import Glibc
#endif

/// Entry point: picks the subcommand and exits with its code.
let arguments = Array(CommandLine.arguments.dropFirst())
let rest = Array(arguments.dropFirst())
let code: ExitCode
switch arguments.first {
case "analyze": code = AnalyzeCommand.run(rest)
case "check": code = CheckCommand.run(rest)
case "merge": code = MergeCommand.run(rest)
case "watch": code = WatchCommand.run(rest)
default: code = AnalyzeCommand.run(arguments)
}
exit(code.rawValue)
