import NetDNSAudit

/// The human output of `check`: one line per violation, warning and exemption, then the verdict
/// line, then (when an input or output could not be read or written) the `check incomplete` line.
/// Every line starts with a fixed word, and text from logs is escaped (``TextEscaping``), so no
/// line can act on a terminal or form a CI runner command.
struct CheckHumanRenderer {
    func render(_ run: CheckRun) -> String {
        var out = render(run.result)
        if run.incomplete { out += run.incompleteLine + "\n" }
        return out
    }

    func render(_ result: CheckResult) -> String {
        var out = ""
        for f in result.violations { out += line("violation", f) }
        for f in result.warnings { out += line("warning", f) }
        for s in result.services where s.status == .allowed || !s.exempted.isEmpty {
            let pattern = TextEscaping.terminalSafe(s.allowedBy ?? "")
            let rules = Set(s.exempted.map(\.rule)).sorted().map(\.id)
            let what = rules.isEmpty ? "" : ", exempt from " + rules.joined(separator: ", ")
            out += "allowed: \(TextEscaping.terminalSafe(s.qualifiedName)): verdict \(s.verdict?.rawValue ?? "-")\(what) (--allow '\(pattern)')\n"
        }
        out += result.verdictLine + "\n"
        return out
    }

    /// `violation: inventory (instance inventory-6c9d): resolver-path: resolves through cgo ...: "text" at file:12`
    func line(_ kind: String, _ f: PolicyFinding) -> String {
        var s = "\(kind): \(TextEscaping.terminalSafe(CheckRun.subject(f)))"
        s += ": \(f.rule.id): \(f.message)"
        if !f.evidence.isEmpty { s += ": \"\(TextEscaping.terminalSafe(f.evidence))\"" }
        if let loc = f.location { s += " at " + Self.place(loc) }
        return s + "\n"
    }

    static func place(_ location: FindingLocation) -> String {
        TextEscaping.terminalSafe(location.file) + (location.line.map { ":\($0)" } ?? "")
    }
}
