import Foundation
import NetDNSAudit

/// The Markdown report `check` appends to `$GITHUB_STEP_SUMMARY`: the verdict, one row per
/// service, the findings, and the analysis table of ``MarkdownRenderer``.
struct GitHubStepSummary {
    func render(_ result: CheckResult, report: AuditReport) -> String {
        var out = "## netdns-audit check: \(result.passed ? "passed" : "failed")\n\n"
        out += "\(result.passed ? "✅" : "❌") \(MarkdownRenderer.escape(result.verdictLine))\n\n"
        out += "| Service | Verdict | Result | Findings |\n| --- | --- | --- | --- |\n"
        for s in result.services {
            let findings = (s.findings + s.exempted).map { "`\($0.rule.id)`" }
            out += "| \(MarkdownRenderer.escape(s.qualifiedName)) | \(s.verdict.map(MarkdownRenderer.verdictCell) ?? "-") | \(statusCell(s)) | \(findings.isEmpty ? "-" : findings.joined(separator: " ")) |\n"
        }
        let violations = result.violations
        if !violations.isEmpty {
            out += "\n### Violations\n\n"
            for f in violations { out += item(f) }
        }
        let warnings = result.warnings
        if !warnings.isEmpty {
            out += "\n### Warnings\n\n"
            for f in warnings { out += item(f) }
        }
        out += "\n<details><summary>Analysis</summary>\n\n"
        out += MarkdownRenderer().render(report)
        out += "\n</details>\n\n"
        return out
    }

    func statusCell(_ s: ServiceOutcome) -> String {
        switch s.status {
        case .passed: return "passed"
        case .warned: return "passed (warning)"
        case .allowed: return "allowed by " + MarkdownRenderer.escape(s.allowedBy ?? "")
        case .failed: return "**failed**"
        case .missing: return "**missing**"
        }
    }

    /// One finding as a list item.
    func item(_ f: PolicyFinding) -> String {
        var s = "- **\(MarkdownRenderer.escape(f.qualifiedService))**"
        if let i = f.instance { s += " (instance \(MarkdownRenderer.escape(i)))" }
        s += " `\(f.rule.id)`: \(MarkdownRenderer.escape(f.message))"
        if !f.evidence.isEmpty { s += ": \(MarkdownRenderer.escape(f.evidence))" }
        if let loc = f.location { s += " at \(MarkdownRenderer.escape(loc.file))\(loc.line.map { ":\($0)" } ?? "")" }
        return s + "\n"
    }

    /// Appends the summary to the file at `path` (created when missing).
    static func append(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }
}
