extension HelpText {
    /// `netdns-audit watch --help`.
    static let watch = """
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
    final report is printed as analyze prints it.

    OPTIONS
      --format FORMAT        final report: table (default), json or markdown
      --interval SECONDS     seconds between JSON lines when not on a terminal (default 10)
      --service NAME         report every instance under this service name
      --envelope NAME        force an envelope: \(EnvelopeNames.list)
      --max-line-bytes N     longer lines are counted as over-long and skipped (default 1048576)
      --no-color             no colour
      --check                at the end, check the result like `netdns-audit check` (with its
                             policy options: --allow, --undetermined, --require-trace,
                             --max-failures, --fail-on, --expect-services, --policy, --junit,
                             --sarif, --github) and exit with the check's code
      -h, --help             this help

    EXIT CODES
      0  success (also when stopped by Ctrl-C or SIGTERM); with --check: every policy holds
      1  with --check: a policy is violated
      2  usage error, or an input could not be read

    """
}
