import NetDNSAudit

/// Every option of every command, declared once.
///
/// Parsing (``CommandLineArguments``), the validation of values (before any input is read), the
/// refusal of an option a command would ignore, every `--help` page (``HelpPage``) and
/// `docs/options.md` (checked by a test) are derived from this table. A new option is one entry
/// here; its command then reads it from the parsed ``CommandLineArguments``.
enum OptionTable {
    static let logReaders: Set<Command> = [.analyze, .check, .watch]
    static let gates: Set<Command> = [.check, .watch]
    static let reporters: Set<Command> = [.analyze, .watch, .merge]
    /// Policy and output options of `watch` apply to its final check only.
    static let needsCheck: [Command: String] = [.watch: "check"]

    static let all: [OptionSpec] = [
        // What is printed.
        OptionSpec(
            "format", value: "FORMAT", rule: .choice(ReportOutput.Format.allCases.map(\.rawValue)), group: .report,
            commands: reporters.union([.inspect]), help: "table (default), json or markdown",
            helpFor: [
                .watch: "final report: table (default), json or markdown",
                .merge: "table (default), json, json-line (the JSON report on one line) or markdown",
            ],
            valuesOnlyFor: [ReportOutput.Format.jsonLine.rawValue: [.merge]]),
        OptionSpec(
            "group-by", value: "WHAT", rule: .choice(ReportGrouping.allCases.map(\.rawValue)), group: .report,
            commands: [.analyze, .watch], help: "one row per service (default), namespace or instance",
            helpFor: [.watch: "rows of the final report and the JSON lines: service (default),\nnamespace or instance (the live screen shows services)"]),
        OptionSpec(
            "interval", value: "SECONDS", rule: .seconds(0.1...86400), group: .report, commands: [.watch],
            help: "seconds between JSON lines when not on a terminal (default 10)"),
        OptionSpec("no-color", group: .report, commands: reporters,
                   help: "no colour (also when NO_COLOR is set or stdout is not a terminal)"),
        OptionSpec("no-progress", group: .report, commands: [.analyze],
                   help: "no progress bar on standard error (it is shown only when standard\nerror is a terminal and the inputs are files)"),
        OptionSpec("quiet", group: .report, commands: [.analyze], help: "the same as --no-progress"),

        // What inspect reads.
        OptionSpec("root", value: "DIR", rule: .nonEmpty, repeatable: true, group: .input, commands: [.inspect],
                   help: "an unpacked image root filesystem (docker export | tar -x); repeatable"),

        // How logs are read.
        OptionSpec("service", value: "NAME", rule: .nonEmpty, group: .analysis, commands: logReaders,
                   help: "report every instance under this service name"),
        OptionSpec("envelope", value: "NAME", rule: .choice(EnvelopeKind.allCases.map(\.rawValue)), group: .analysis,
                   commands: logReaders, help: "force an envelope: \(EnvelopeKind.allCases.map(\.rawValue).joined(separator: ", "))"),
        OptionSpec("max-line-bytes", value: "N", rule: .integer(1024...(1 << 30)), group: .analysis, commands: logReaders,
                   help: "longer lines are over-long; joined ones: ends scanned (default 1048576)"),
        OptionSpec("jobs", value: "N", rule: .integer(1...1024), group: .analysis, commands: [.analyze, .check],
                   help: "threads: files read at once, ranges a large file is split into\n(default: the number of processors; 1: single-threaded)"),
        OptionSpec("mmap", group: .analysis, commands: [.analyze, .check],
                   help: "read large files through memory maps, not read(2) (measured no\nfaster; a file truncated while being read then ends the run with SIGBUS)"),

        // The gate.
        OptionSpec("check", group: .policy, commands: [.watch],
                   help: "at the end, check the result like `netdns-audit check` (with the\npolicy and output options below) and exit with the check's code"),
        OptionSpec("summary", value: "FILE", rule: .nonEmpty, repeatable: true, group: .input, commands: [.check],
                   help: "also check a saved report (`analyze --format json`, or merge's json\nor json-line; - for standard input); repeatable"),
        OptionSpec("binary", value: "PATH", rule: .nonEmpty, repeatable: true, group: .input, commands: [.check],
                   help: "also check a Go binary, or every Go binary under a directory: the cgo\nresolver compiled in violates cgo-resolver-compiled (--allow matches\nits file name, path or main module); repeatable; policy key \"binaries\""),
        OptionSpec("image", value: "PATH", rule: .nonEmpty, repeatable: true, group: .input, commands: [.check],
                   help: "also check a container image (as netdns-audit inspect reads it):\nits error findings violate, its warnings warn; repeatable; policy\nkey \"images\""),
        OptionSpec("policy", value: "FILE", rule: .nonEmpty, group: .policy, commands: gates,
                   help: "read the policy from a JSON file; the flags below override its keys:\n{\"allow\": [...], \"undetermined\": \"warn\", \"requireTrace\": false,\n \"maxFailures\": 10, \"failOn\": [\"servfail\"], \"expectServices\": [...],\n \"onSkipped\": \"warn\", \"allowEmptyInput\": false}",
                   requires: needsCheck),
        OptionSpec("allow", value: "PATTERN", rule: .glob, repeatable: true, group: .policy, commands: gates,
                   help: "exempt services matching a glob (*, ?, [a-z], [!a-z]) on the name\nor namespace/name from the resolver rules; still reported (repeatable)",
                   requires: needsCheck),
        OptionSpec("undetermined", value: "MODE", rule: .choice(UndeterminedHandling.allCases.map(\.rawValue)), group: .policy,
                   commands: gates, help: "fail, warn (default) or pass for instances whose path nothing shows", requires: needsCheck),
        OptionSpec("on-skipped", value: "MODE", rule: .choice(SkippedHandling.allCases.map(\.rawValue)), group: .policy,
                   commands: gates, help: "fail or warn (default) for an input skipped as binary (not read,\nso not checked); policy key \"onSkipped\"",
                   requires: needsCheck),
        OptionSpec("require-trace", group: .policy, commands: gates,
                   help: "fail instances with no GODEBUG=netdns trace line at all", requires: needsCheck),
        OptionSpec("max-failures", value: "N", rule: .integer(0...Int.max), group: .policy, commands: gates,
                   help: "fail services with more than N DNS failures", requires: needsCheck),
        OptionSpec("fail-on", value: "CLASS", rule: .list(FailureClass.allCases.map(\.rawValue)), repeatable: true, group: .policy,
                   commands: gates,
                   help: "fail services with a DNS failure of CLASS (repeatable, or a,b):\n\(FailureClass.allCases.map(\.rawValue).joined(separator: ", "))",
                   requires: needsCheck),
        OptionSpec("fail-on-fault", value: "KIND", rule: .list(FaultKind.allCases.map(\.rawValue) + ["default", "none"]), repeatable: true,
                   group: .policy, commands: gates,
                   help: "fail instances with a fault of KIND (repeatable, or a,b; 'default' is\nexec-not-found, exec-format, shared-library-missing, glibc-version,\nthe kinds that fail when the flag is not given; 'none' is no kind):\nthose four, symbol-not-found, ca-certificates-missing, tzdata-missing,\ncgo-resolver-stack, thread-limit",
                   requires: needsCheck),
        OptionSpec("expect-services", value: "A,B", rule: .list(nil), repeatable: true, group: .policy, commands: gates,
                   help: "fail when a listed service never appears in the input", requires: needsCheck),
        OptionSpec("allow-empty", group: .policy, commands: gates,
                   help: "pass an input that shows no service at all (by default that\nviolates no-input: a gate that saw nothing has proven nothing);\npolicy key \"allowEmptyInput\"",
                   requires: needsCheck),

        // The gate's reports.
        OptionSpec("junit", value: "FILE", rule: .nonEmpty, group: .output, commands: gates,
                   help: "JUnit XML, one testcase per service (GitLab, Jenkins); not - (standard\noutput carries the findings)", requires: needsCheck),
        OptionSpec("sarif", value: "FILE", rule: .nonEmpty, group: .output, commands: gates,
                   help: "SARIF 2.1.0, one rule per policy (GitHub code scanning); not -\n(limits: docs/ci-gate.md)", requires: needsCheck),
        OptionSpec("github", group: .output, commands: gates,
                   help: "GitHub Actions annotations on standard output, and a Markdown\nreport appended to $GITHUB_STEP_SUMMARY; on by default when\nGITHUB_ACTIONS=true",
                   requires: needsCheck),
        OptionSpec("no-github", group: .output, commands: gates,
                   help: "no annotations or step summary, even under GitHub Actions", requires: needsCheck),

        // Every command.
        OptionSpec("help", short: "h", group: .general, commands: Set(Command.allCases), help: "this help"),
        OptionSpec("version", group: .general, commands: Set(Command.allCases), help: "print the version and exit"),
    ]

    /// The entry for `--name`, or `nil`.
    static func option(named name: String) -> OptionSpec? { byName[name] }

    /// The entry for `-c`, or `nil`.
    static func option(short: Character) -> OptionSpec? { all.first { $0.short == short } }

    static let byName: [String: OptionSpec] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    /// The options `command` takes, in table order.
    static func options(for command: Command) -> [OptionSpec] { all.filter { $0.commands.contains(command) } }
}
