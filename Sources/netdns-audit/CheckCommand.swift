import Foundation
import NetDNSAudit

/// `netdns-audit check [INPUT...] [--summary FILE]...`: the CI gate. Analyses logs and/or merges
/// saved JSON reports, checks them against the policy, prints the findings and writes the
/// requested CI reports. Exit 0: every policy holds; 1: a policy is violated; 2: usage error,
/// or an input or output file could not be read or written (wins over 1).
enum CheckCommand {
    static func run(_ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) -> ExitCode {
        let args: CommandLineArguments
        do {
            args = try CommandLineArguments(arguments, command: .check)
        } catch {
            // The arguments did not parse: `--github`/`--no-github` are looked for as given.
            let given = arguments.prefix { $0 != "--" }
            return usageError(error, github: given.contains("--github") || (environment["GITHUB_ACTIONS"] == "true" && !given.contains("--no-github")))
        }
        if let code = args.answerHelpOrVersion() { return code }
        let policy: CheckPolicy
        do {
            try checkOutputPaths(args)
            policy = try checkPolicy(args)
        } catch {
            return usageError(error, github: args.has("github") || (environment["GITHUB_ACTIONS"] == "true" && !args.has("no-github")))
        }
        let options = AnalyzeCommand.analyzerOptions(args)
        // Inputs: logs, saved reports, binaries and images; with none of them, standard input.
        let summaryFiles = args.all("summary")
        let summaryInputs = summaryFiles.map(InputSpec.init(argument:))
        let binaries = args.all("binary").isEmpty ? policy.binaries : args.all("binary")
        let images = args.all("image").isEmpty ? policy.images : args.all("image")
        let artifacts = binaries.map(InspectInput.path) + images.map(InspectInput.path)
        let readsLogs = !args.positional.isEmpty || (summaryFiles.isEmpty && artifacts.isEmpty)
        let logInputs = !readsLogs ? [] : args.positional.isEmpty ? [InputSpec.standardInput] : args.positional.map(InputSpec.init(argument:))
        guard (summaryInputs + logInputs).filter({ $0 == .standardInput }).count <= 1 else {
            TerminalOutput.error("standard input (-) can be read only once (see netdns-audit check --help)")
            return .usageOrInputError
        }
        var problems: [String] = []
        var summary = AuditSummary()
        if readsLogs {
            let analysis = Analyzer(options: options).analyze(logInputs)
            summary.merge(analysis.summary)
            problems += analysis.errors.map(\.description)
        }
        // Saved reports, read as merge reads them; a report with a problem counts for nothing.
        let reader = SavedReportReader()
        for input in summaryInputs {
            do {
                try reader.read(input) { summary.merge($0.summary) }
            } catch {
                problems.append(error.description)
            }
        }
        var inputs = readsLogs && args.positional.isEmpty ? ["-"] : args.positional
        inputs += summaryFiles
        // Binaries and images: inspected, then judged beside the services.
        var artifactOutcomes: [ServiceOutcome] = []
        if !artifacts.isEmpty {
            // Each path is read for what it is: a binary or directory of binaries, or an image.
            let merged = Inspector().inspect(artifacts)
            artifactOutcomes = policy.evaluate(artifacts: merged)
            problems += merged.errors
            inputs += binaries + images
        }
        return gate(summary, problems: problems, policy: policy, args: args, environment: environment, inputs: inputs,
                    logs: readsLogs || !summaryFiles.isEmpty, artifacts: artifactOutcomes)
    }

    /// A usage error or an invalid policy: one line on standard error and exit code 2; under
    /// GitHub Actions also an `::error`, so a broken gate does not look like a quiet step.
    static func usageError(_ error: UsageError, github: Bool) -> ExitCode {
        TerminalOutput.error("\(error.description) (see netdns-audit check --help)")
        if github {
            TerminalOutput.write(GitHubAnnotations.command(
                "error", properties: [("title", "netdns-audit check: usage error")],
                message: TextEscaping.terminalSafe(error.description) + " (exit code 2)"))
        }
        return .usageOrInputError
    }

    /// `--sarif -` and `--junit -` are refused: standard output carries the findings and the
    /// annotations, so a report there could not be parsed.
    static func checkOutputPaths(_ args: CommandLineArguments) throws(UsageError) {
        for name in ["sarif", "junit"] {
            guard let path = args.value(name) else { continue }
            if path == "-" || path == "/dev/stdout" || path == "/proc/self/fd/1" || path == "/dev/fd/1" {
                throw UsageError("--\(name) \(path): standard output carries the findings and annotations; give a file name")
            }
        }
    }

    /// Checks a summary against the policy, writes the CI reports the arguments ask for, prints
    /// the findings, and returns the exit code. Shared by `check` and `watch --check`.
    static func gate(
        _ summary: AuditSummary, problems: [String], policy: CheckPolicy, args: CommandLineArguments,
        environment: [String: String], inputs: [String] = [], logs: Bool = true, artifacts: [ServiceOutcome] = []
    ) -> ExitCode {
        let github = args.has("github") || (environment["GITHUB_ACTIONS"] == "true" && !args.has("no-github"))
        let report = AuditReport(summary)
        // Only binaries and images given: no log was read, so the log rules (no-input) do not apply.
        var result = logs ? policy.evaluate(report) : CheckResult(services: [])
        result.services += artifacts
        var run = CheckRun(result: result, report: report, problems: problems, inputs: inputs)
        if let path = args.value("policy") {
            run.policyFile = path
            if let data = try? Data(contentsOf: URL(fileURLWithPath: path)) { run.policyKeyLines = CheckRun.keyLines(data) }
        }
        for problem in problems { TerminalOutput.error(problem) }
        ReportOutput.noteSkipped(summary.totals)

        // The files first: a file that cannot be written makes the run incomplete, and the
        // annotations and the last line on standard output must say so.
        func writeOutput(_ what: String, _ body: () throws -> Void) {
            do { try body() } catch {
                let problem = "\(what): cannot write: \(error.localizedDescription)"
                TerminalOutput.error(problem)
                run.problems.append(problem)
            }
        }
        if let path = args.value("junit") {
            let snapshot = run
            writeOutput(path) { try Data(JUnitRenderer().render(snapshot).utf8).write(to: URL(fileURLWithPath: path)) }
        }
        if let path = args.value("sarif") {
            let snapshot = run
            writeOutput(path) { try SARIFRenderer().render(snapshot).write(to: URL(fileURLWithPath: path)) }
        }
        if github, let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty {
            let snapshot = run
            writeOutput(path) {
                if try !GitHubStepSummary.append(snapshot, to: path) {
                    TerminalOutput.error("\(path): the step summary file already holds GitHub's 1 MiB limit; nothing appended")
                }
            }
        }
        TerminalOutput.write(CheckHumanRenderer().render(run))
        if github { TerminalOutput.write(GitHubAnnotations().render(run)) }
        return run.exitCode
    }

    /// The policy: the `--policy` file, then the flags, which override the file's keys.
    static func checkPolicy(_ args: CommandLineArguments) throws(UsageError) -> CheckPolicy {
        var policy = CheckPolicy()
        if let path = args.value("policy") {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw UsageError("\(path): cannot read the policy file: \(error.localizedDescription)")
            }
            do {
                policy = try CheckPolicy.decode(data)
            } catch {
                throw UsageError("\(path): invalid policy file: \(error.description)")
            }
        }
        // The values were checked against the option table when parsed.
        let allow = args.all("allow")
        if !allow.isEmpty { policy.allow = allow }
        if let text = args.value("undetermined"), let handling = UndeterminedHandling(rawValue: text) { policy.undetermined = handling }
        if let text = args.value("on-skipped"), let handling = SkippedHandling(rawValue: text) { policy.onSkipped = handling }
        if args.has("require-trace") { policy.requireTrace = true }
        if args.has("allow-empty") { policy.allowEmptyInput = true }
        if let text = args.value("max-failures"), let n = Int(text) { policy.maxFailures = n }
        if !args.all("fail-on").isEmpty {
            var parsed: [FailureClass] = []
            for c in args.all("fail-on").flatMap(OptionSpec.listItems).compactMap(FailureClass.init(rawValue:)) where !parsed.contains(c) {
                parsed.append(c)
            }
            policy.failOn = parsed
        }
        // --fail-on-fault replaces the policy's kinds: 'default' stands for the default kinds, 'none' for no kind.
        if !args.all("fail-on-fault").isEmpty {
            var kinds: [FaultKind] = []
            for item in args.all("fail-on-fault").flatMap(OptionSpec.listItems) {
                let named = item == "default" ? CheckPolicy.defaultFaultKinds : FaultKind(rawValue: item).map { [$0] } ?? []
                for kind in named where !kinds.contains(kind) { kinds.append(kind) }
            }
            policy.failOnFault = kinds
        }
        if !args.all("expect-services").isEmpty { policy.expectServices = args.all("expect-services").flatMap(OptionSpec.listItems) }
        return policy
    }
}
