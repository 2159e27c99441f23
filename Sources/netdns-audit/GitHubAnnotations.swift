import NetDNSAudit

/// GitHub Actions workflow commands (`::error file=F,line=N,title=T::message`) for a check run,
/// written for the runner's own parser and limits (actions/runner `ActionCommand.TryParseV2`,
/// `ExecutionContext.AddIssue`; docs/ci-gate.md):
///
/// - The verdict comes first (an `error` when the check failed or is incomplete, a `notice`
///   when it passed), then violations, then warnings: the runner keeps only the first
///   ``perTypeLimit`` annotations of each type in a step.
/// - Each type is capped at ``perTypeLimit`` lines, the last one saying how many more were not shown.
/// - Messages are cut to ``messageLimit`` UTF-16 units (the runner cuts longer ones itself).
/// - `file=` is the input's real path (`./` segments dropped), so the annotation lands on the
///   file; a path with control or invisible characters is left out (shown in the message).
/// - Text from logs is escaped (``TextEscaping``): nothing in it can form a command.
struct GitHubAnnotations {
    /// `ExecutionContext._maxCountPerIssueType`: annotations kept per type (error, warning, notice) per step.
    static let perTypeLimit = 10
    /// `ExecutionContext._maxIssueMessageLength`: the longest message kept, in UTF-16 code units.
    static let messageLimit = 4096
    /// The problems listed by name in the incomplete verdict.
    static let listedProblems = 20

    func render(_ run: CheckRun) -> String {
        var errors: [String] = []
        var notices: [String] = []
        let result = run.result
        if run.incomplete {
            var message = run.headline
            for p in run.problems.prefix(Self.listedProblems) { message += "\n" + TextEscaping.terminalSafe(p) }
            if run.problems.count > Self.listedProblems { message += "\n… and \(run.problems.count - Self.listedProblems) more (see the job log)" }
            errors.append(Self.command("error", properties: [("title", "netdns-audit check incomplete")], message: message))
        } else if result.passed {
            notices.append(Self.command("notice", properties: [("title", "netdns-audit check passed")], message: run.headline))
        } else {
            errors.append(Self.command("error", properties: [("title", "netdns-audit check failed")], message: run.headline))
        }
        // Only the annotations that are kept are rendered: a run may have many thousands.
        let violations = run.result.violations, warnings = run.result.warnings
        let totalErrors = errors.count + violations.count
        errors += violations.prefix(Self.perTypeLimit - errors.count).map { command($0, run: run) }
        let warningLines = warnings.prefix(Self.perTypeLimit).map { command($0, run: run) }
        return Self.capped(errors, total: totalErrors, "error", what: "violations")
            + Self.capped(warningLines, total: warnings.count, "warning", what: "warnings")
            + Self.capped(notices, total: notices.count, "notice", what: "notices")
    }

    /// At most ``perTypeLimit`` lines of the `total` ones of a type: the first ones, and a last
    /// line counting those not shown.
    static func capped(_ lines: [String], total: Int, _ level: String, what: String) -> String {
        guard total > perTypeLimit else { return lines.joined() }
        let shown = perTypeLimit - 1
        let more = total - shown
        let note = command(level, properties: [("title", "netdns-audit: \(more) more not shown")],
                           message: "\(more) more \(what) not shown here (GitHub keeps \(perTypeLimit) annotations of each type per step): see the job log, the step summary or the SARIF report")
        return lines.prefix(shown).joined() + note
    }

    /// One finding's annotation.
    func command(_ f: PolicyFinding, run: CheckRun) -> String {
        let level = f.severity == .violation ? "error" : "warning"
        var properties: [(String, String)] = []
        if let loc = run.place(f), let file = Self.annotationPath(loc.file) {
            properties.append(("file", file))
            if let line = loc.line { properties.append(("line", String(line))) }
        }
        let who = f.service.isEmpty && f.namespace == nil ? "the input" : f.qualifiedService
        let subject = CheckRun.truncated(TextEscaping.terminalSafe(who), utf16Limit: 200)
        properties.append(("title", "netdns-audit \(f.rule.id): \(subject)"))
        var message = "\(TextEscaping.terminalSafe(CheckRun.subject(f))): \(f.message)"
        if !f.evidence.isEmpty { message += "\nevidence: \(TextEscaping.terminalSafe(f.evidence))" }
        if let loc = f.location { message += "\nat \(CheckHumanRenderer.place(loc))" }
        return Self.command(level, properties: properties, message: message)
    }

    /// A workflow command line: properties escaped as property values, the message as data.
    static func command(_ level: String, properties: [(String, String)], message: String) -> String {
        let props = properties.map { "\($0.0)=\(escapeProperty($0.1))" }.joined(separator: ",")
        let text = CheckRun.truncated(message, utf16Limit: messageLimit)
        return "::\(level)\(props.isEmpty ? "" : " " + props)::\(escapeData(text))\n"
    }

    /// The path for `file=`: the real path with `.` segments and repeated slashes dropped, or nil
    /// when it holds characters that would act on a terminal or hide (or is standard input).
    static func annotationPath(_ path: String) -> String? {
        guard path != "-", !path.isEmpty else { return nil }
        for s in path.unicodeScalars where TextEscaping.isControl(s.value) || s.value == 0xFFFD || TextEscaping.isInvisibleFormat(s.value) {
            return nil
        }
        let absolute = path.hasPrefix("/")
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? nil : joined
    }

    /// Escapes a command's message as the runner's `UnescapeData` reads it: `%`, CR and LF.
    static func escapeData(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes a property value (`title`, `file`) as `UnescapeProperty` reads it: as data, and
    /// also `:` and `,`.
    static func escapeProperty(_ text: String) -> String {
        // Data escaping never writes `:` or `,`, so they can be escaped after it.
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
