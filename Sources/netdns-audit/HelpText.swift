/// The `--help` texts.
enum HelpText {
    static let main = """
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

    OPTIONS
      --format FORMAT        table (default), json or markdown
      --service NAME         report every instance under this service name
      --group-by WHAT        one row per service (default), namespace or instance
      --envelope NAME        force an envelope: \(EnvelopeNames.list)
      --max-line-bytes N     longer lines are counted as over-long and skipped (default 1048576)
      --jobs N               threads: files read at once, ranges a large file is split into
                             (default: the number of processors; 1: single-threaded)
      --mmap                 read large files through memory maps (a few percent faster; a
                             file truncated while being read then ends the run with SIGBUS)
      --no-color             no colour (also when NO_COLOR is set or stdout is not a terminal)
      --no-progress          no progress bar on standard error (shown only on a terminal, not under --quiet)
      -h, --help             this help
      --version              the version

    EXIT CODES
      0  success
      1  check: a policy is violated (see netdns-audit check --help)
      2  usage error, or an input could not be read (the other inputs are still reported)

    """

    static let merge = """
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

    OPTIONS
      --format FORMAT        table (default), json, json-line (the JSON report on one line) or markdown
      --no-color             no colour in the table
      -h, --help             this help

    EXIT CODES
      0  success
      2  usage error, or an input is unreadable, not a report, or of another schemaVersion:
         each bad input is named in one line on standard error and nothing is merged

    """
}

import NetDNSAudit

enum EnvelopeNames {
    static var list: String { EnvelopeKind.allCases.map(\.rawValue).joined(separator: ", ") }
}
