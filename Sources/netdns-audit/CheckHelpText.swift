extension HelpText {
    /// `netdns-audit check --help`.
    static let check = """
    netdns-audit check: fail a CI job when a Go service resolves names through cgo, or DNS fails.

    USAGE
      netdns-audit check [INPUT...] [--summary REPORT.json]... [POLICY OPTIONS] [OUTPUT OPTIONS]

    INPUT is read as by `netdns-audit analyze` (files, directories, - for standard input, the
    default when neither INPUT nor --summary is given). --summary FILE reads a saved
    `analyze --format json` report; several reports and inputs are merged.

    POLICY (default: every instance with evidence must use the pure-Go resolver; verdicts
    cgo and mixed violate)
      --policy FILE          read the policy from a JSON file; the flags below override its keys:
                             {"allow": [...], "undetermined": "warn", "requireTrace": false,
                              "maxFailures": 10, "failOn": ["servfail"], "expectServices": [...]}
      --allow PATTERN        exempt services matching a glob (*, ?, [a-z], [!a-z]) on the name
                             or namespace/name from the resolver rules; still reported (repeatable)
      --undetermined MODE    fail, warn (default) or pass for instances whose path nothing shows
      --require-trace        fail instances with no GODEBUG=netdns trace line at all
      --max-failures N       fail services with more than N DNS failures
      --fail-on CLASS        fail services with a DNS failure of CLASS (repeatable, or a,b):
                             nxdomain, servfail, timeout, refused, temporary, nodata, other
      --expect-services A,B  fail when a listed service never appears in the input
      --on-skipped MODE      fail or warn (default) for an input skipped as binary (not read,
                             so not checked); policy key "onSkipped"

    OUTPUT (the findings and a verdict line always go to standard output)
      --junit FILE           JUnit XML, one testcase per service (GitLab, Jenkins)
      --sarif FILE           SARIF 2.1.0, one rule per policy (GitHub code scanning)
      --github               GitHub Actions annotations on standard output, and a Markdown
                             report appended to $GITHUB_STEP_SUMMARY; on by default when
                             GITHUB_ACTIONS=true
      --no-github            no annotations or step summary, even under GitHub Actions

    ANALYSIS OPTIONS
      --service NAME, --envelope NAME, --max-line-bytes N   as for analyze

    EXIT CODES
      0  every policy holds (warnings allowed)
      1  a policy is violated
      2  usage error, invalid policy file, or an input, report or output file could not be
         read or written; this wins over 1, since the check did not see all its input
         (the findings of what was read are still printed)

    """
}
