/// A command's `--help` page: its prose, and option sections rendered from ``OptionTable``.
struct HelpPage {
    /// Everything before the options: what the command does, usage, what inputs are.
    let intro: String
    /// The option sections: a title and the groups it lists.
    let sections: [(title: String, groups: [OptionGroup])]
    /// Everything after: exit codes.
    let footer: String

    /// Where help text starts: two spaces, the option, at least two spaces.
    static let helpColumn = 25

    /// The page for `command`.
    func render(for command: Command) -> String {
        var out = intro
        let options = OptionTable.options(for: command)
        for section in sections {
            let listed = options.filter { section.groups.contains($0.group) }
            guard !listed.isEmpty else { continue }
            out += "\n\(section.title)\n"
            for spec in listed { out += Self.entry(spec, for: command) }
        }
        return out + "\n" + footer
    }

    /// `  --format FORMAT        table (default), ...`, continuation lines aligned.
    static func entry(_ spec: OptionSpec, for command: Command) -> String {
        let pad = String(repeating: " ", count: helpColumn)
        let lines = spec.help(for: command).split(separator: "\n", omittingEmptySubsequences: false)
        var head = "  " + spec.usage
        if head.count + 2 > helpColumn {
            head += "\n" + pad
        } else {
            head += String(repeating: " ", count: helpColumn - head.count)
        }
        var out = head + (lines.first.map(String.init) ?? "") + "\n"
        for line in lines.dropFirst() { out += pad + line + "\n" }
        return out
    }

    static func page(for command: Command) -> HelpPage {
        switch command {
        case .analyze: return analyze
        case .check: return check
        case .watch: return watch
        case .merge: return merge
        case .inspect: return inspect
        }
    }

    /// The `--help` text of `command`.
    static func text(for command: Command) -> String { page(for: command).render(for: command) }

    static let exitCodes = """
    EXIT CODES
      0  success
      1  check: a policy is violated (see netdns-audit check --help)
      2  usage error, an input could not be read (the other inputs are still reported), or
         the output could not be written

    """

    static let analyze = HelpPage(
        intro: """
        netdns-audit: which DNS resolver your Go services really use, and where DNS fails.

        USAGE
          netdns-audit [analyze] [INPUT...] [--format table|json|markdown]
          kubectl logs -l app=api --prefix --timestamps | netdns-audit
          netdns-audit check [INPUT...] [POLICY OPTIONS]   the CI gate (check --help)
          netdns-audit watch [PATH...]                     live view (watch --help)
          netdns-audit merge [REPORT.json...]              merge saved reports (merge --help)

        INPUT is a file, a directory (read recursively, in sorted order) or - for standard
        input (the default). Lines may carry Go's GODEBUG=netdns=go+1 / =2 traces mixed into
        ordinary output; envelopes (kubectl --prefix, CRI, docker json-file, compose,
        journald, stern, plain) are detected per file, or per line on standard input
        (stern only with --envelope stern there).

        """,
        sections: [("OPTIONS", [.report, .analysis, .general])],
        footer: exitCodes)

    static let check = HelpPage(
        intro: """
        netdns-audit check: fail a CI job when a Go service resolves names through cgo, or DNS fails.

        USAGE
          netdns-audit check [INPUT...] [--summary REPORT.json]... [POLICY OPTIONS] [OUTPUT OPTIONS]
          netdns-audit check --binary dist/api --image api-image.tar [--allow PATTERN]

        INPUT is read as by `netdns-audit analyze` (files, directories, - for standard input, the
        default when neither INPUT, --summary, --binary nor --image is given). --summary FILE reads
        saved reports as merge does; several reports and inputs are merged. Policies are checked
        per service: check takes no --group-by. --binary and --image are read as `netdns-audit
        inspect` reads them; each Go binary is judged as one more service.

        """,
        sections: [
            ("INPUT", [.input]),
            ("POLICY (default: every instance with evidence must use the pure-Go resolver; verdicts\ncgo and mixed violate)", [.policy]),
            ("OUTPUT (the findings and a verdict line always go to standard output)", [.output]),
            ("ANALYSIS OPTIONS", [.analysis]),
            ("OPTIONS", [.report, .general]),
        ],
        footer: """
        EXIT CODES
          0  every policy holds (warnings allowed)
          1  a policy is violated
          2  usage error, invalid policy file, or an input, report or output file could not be
             read or written; this wins over 1, since the check did not see all its input
             (the findings of what was read are still printed)

        """)

    static let watch = HelpPage(
        intro: """
        netdns-audit watch: the analysis of a live stream, while it runs.

        USAGE
          kubectl logs -f -l app=api --prefix --timestamps | netdns-audit watch
          netdns-audit watch /var/log/pods/ [PATH...]

        Without PATH, reads standard input until it ends. With PATHs, follows files and
        directories like tail -F: files are read from their start, new files are picked up,
        a rotated file is read to its end and its replacement from the start, a truncated
        file is read again from the start (checked every 250 ms).

        On a terminal, a full-screen table is redrawn every second: services with cgo and
        failures first, their counts, and the newest trace or DNS error line of each.
        Otherwise one JSON report line (compact) is written every --interval seconds.
        When standard input ends, or on Ctrl-C or SIGTERM, the screen is restored and the
        final report is printed as analyze prints it. Live input is read by one thread:
        watch takes no --jobs or --mmap.

        """,
        sections: [
            ("OPTIONS", [.report, .analysis, .general]),
            ("CHECK (the policy and output options need --check)", [.policy, .output]),
        ],
        footer: """
        EXIT CODES
          0  success (also when stopped by Ctrl-C or SIGTERM); with --check: every policy holds
          1  with --check: a policy is violated
          2  usage error, an input could not be read, or the output could not be written

        """)

    static let merge = HelpPage(
        intro: """
        netdns-audit merge: one report from many saved JSON reports (a fleet, several days).

        USAGE
          netdns-audit merge [REPORT...] [--format table|json|json-line|markdown]
          netdns-audit analyze node-a/ --format json > a.json   # on each node
          netdns-audit merge a.json b.json c.json --format json > fleet.json

        REPORT is a file written by `analyze --format json` (or by merge itself), or - for
        standard input (the default). An input may hold one report or several, one per line
        (json-line) or concatenated. An instance found in several reports (a pod analysed on two
        days) becomes one instance: its counts add up, firstSeen is the earliest, lastSeen the
        latest. The order and grouping of merges do not change the result.

        """,
        sections: [("OPTIONS", [.report, .general])],
        footer: """
        EXIT CODES
          0  success
          2  usage error, an input is unreadable, not a report, of a newer schemaVersion or holds
             an invalid number (each bad input is named in one line on standard error and nothing
             is merged), or the output could not be written

        """)

    static let inspect = HelpPage(
        intro: """
        netdns-audit inspect: which DNS resolver a Go binary can use, and whether it starts in its
        image, before anything runs.

        USAGE
          netdns-audit inspect [PATH...] [--root DIR]... [--format table|json|markdown]

        PATH is any mix of: a Go ELF binary (stripped or not; 32/64-bit, either byte order); a
        directory (walked; every Go binary in it is reported, other files are skipped); a
        container image: a `docker save` tarball (legacy or the Docker 25+ OCI variant), gzipped
        or not, or an OCI image layout directory, with tar, tar+gzip or tar+zstd layers (zstd
        needs the system libzstd.so.1). Images are read as streams, never extracted.

        Findings: loader-missing, libc-mismatch, glibc-too-old, library-missing,
        entrypoint-missing (errors: the binary does not start); cgo-resolver,
        ca-certificates-missing, tzdata-missing, pie-loader (warnings); each with one line of
        advice. See docs/inspect.md.

        """,
        sections: [("INPUT", [.input]), ("OPTIONS", [.report, .general])],
        footer: """
        EXIT CODES
          0  every input was inspected (findings do not change the code)
          2  usage error, an input could not be inspected (one line each on standard error; the
             others are still reported), or the output could not be written

        """)
}
