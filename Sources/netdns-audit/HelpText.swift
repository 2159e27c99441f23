/// The `--help` texts.
enum HelpText {
    static let main = """
    netdns-audit: which DNS resolver your Go services really use, and where DNS fails.

    USAGE
      netdns-audit [analyze] [INPUT...] [--format table|json|markdown]
      kubectl logs -l app=api --prefix --timestamps | netdns-audit

    INPUT is a file, a directory (read recursively, in sorted order) or - for standard
    input (the default). Lines may carry Go's GODEBUG=netdns=go+1 / =2 traces mixed into
    ordinary output; envelopes (kubectl --prefix, plain) are detected per file, or per
    line on standard input.

    OPTIONS
      --format FORMAT        table (default), json or markdown
      --service NAME         report every instance under this service name
      --envelope NAME        force an envelope: \(EnvelopeNames.list)
      --max-line-bytes N     longer lines are counted as over-long and skipped (default 1048576)
      --jobs N               threads: files read at once, ranges a large file is split into
                             (default: the number of processors; 1: single-threaded)
      --no-color             no colour (also when NO_COLOR is set or stdout is not a terminal)
      -h, --help             this help
      --version              the version

    EXIT CODES
      0  success
      2  usage error, or an input could not be read (the other inputs are still reported)

    """
}

import NetDNSAudit

enum EnvelopeNames {
    static var list: String { EnvelopeKind.allCases.map(\.rawValue).joined(separator: ", ") }
}
