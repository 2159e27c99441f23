import NetDNSAudit

/// Values several commands read the same way.
extension CommandLineArguments {
    /// Prints the help page or the version when asked for, and returns the exit code then.
    func answerHelpOrVersion() -> ExitCode? {
        if has("help") { return TerminalOutput.write(HelpPage.text(for: command)) ? .success : .usageOrInputError }
        if has("version") {
            return TerminalOutput.write("netdns-audit \(NetDNSAuditVersion.current)\n") ? .success : .usageOrInputError
        }
        return nil
    }

    /// `--group-by` (checked when parsed), `service` when not given.
    var grouping: ReportGrouping { value("group-by").flatMap(ReportGrouping.init(rawValue:)) ?? .service }
}
