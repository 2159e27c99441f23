#if canImport(Glibc)
import Glibc
#endif

/// Entry point: picks the subcommand and exits with its code.
let arguments = Array(CommandLine.arguments.dropFirst())
let code: ExitCode
switch arguments.first {
case "analyze":
    code = AnalyzeCommand.run(Array(arguments.dropFirst()))
case "watch": code = WatchCommand.run(Array(arguments.dropFirst()))
default:
    code = AnalyzeCommand.run(arguments)
}
exit(code.rawValue)
