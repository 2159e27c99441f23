import Foundation
import NetDNSAudit

/// The Markdown report `check` appends to `$GITHUB_STEP_SUMMARY`: the verdict (headed
/// `incomplete` with the reasons when an input or output could not be read or written), the
/// violations, the warnings, one row per service, and the analysis table of ``MarkdownRenderer``.
///
/// The runner refuses a step summary file over 1 MiB whole (`CreateStepSummaryCommand
/// .AttachmentSizeLimit`), so the summary is written to fit in what the file has left: the parts
/// are added in that order of importance while they fit, and a line says what was left out.
/// Text from logs is a code span (``MarkdownRenderer/code(_:inTable:)``): a URL in a log never
/// becomes a link.
struct GitHubStepSummary {
    /// The runner's limit on the whole step summary file, in bytes.
    static let fileLimit = 1024 * 1024
    /// The problems listed by name in the incomplete section.
    static let listedProblems = 50

    /// The summary, at most `budget` bytes of UTF-8.
    func render(_ run: CheckRun, budget: Int = GitHubStepSummary.fileLimit) -> String {
        let result = run.result
        var head = "## netdns-audit check: \(run.status)\n\n"
        let mark = run.incomplete ? "⚠️" : result.passed ? "✅" : "❌"
        head += "\(mark) \(MarkdownRenderer.escape(run.headline))\n\n"
        if run.incomplete {
            head += "**The check is incomplete**: the verdict covers only what was read (exit code 2).\n\n"
            for p in run.problems.prefix(Self.listedProblems) { head += "- \(MarkdownRenderer.code(p))\n" }
            if run.problems.count > Self.listedProblems { head += "- … and \(run.problems.count - Self.listedProblems) more (see the job log)\n" }
            head += "\n"
        }
        // Room kept for the notes that say what was left out.
        let reserve = 2048
        var writer = BoundedText(limit: max(0, budget - reserve))
        guard writer.add(head) else { return Self.minimal(run, budget: budget) }

        var omitted: [String] = []
        let violations = result.violations
        if !violations.isEmpty {
            let n = writer.addList("\n### Violations\n\n", violations.map(item))
            if n < violations.count { omitted.append("\(violations.count - n) of \(violations.count) violations") }
        }
        let warnings = result.warnings
        if !warnings.isEmpty {
            let n = writer.addList("\n### Warnings\n\n", warnings.map(item))
            if n < warnings.count { omitted.append("\(warnings.count - n) of \(warnings.count) warnings") }
        }
        if !result.services.isEmpty {
            let rows = result.services.map { s in
                let findings = (s.findings + s.exempted).map { "`\($0.rule.id)`" }
                return "| \(MarkdownRenderer.code(s.qualifiedName, inTable: true)) | \(s.verdict.map(MarkdownRenderer.verdictCell) ?? "-") | \(statusCell(s)) | \(findings.isEmpty ? "-" : findings.joined(separator: " ")) |\n"
            }
            let n = writer.addList("\n### Services\n\n| Service | Verdict | Result | Findings |\n| --- | --- | --- | --- |\n", rows, required: 1)
            if n < rows.count { omitted.append("\(rows.count - n) of \(rows.count) service rows") }
        }
        let analysis = MarkdownRenderer().render(run.report).split(separator: "\n", omittingEmptySubsequences: false).map { String($0) + "\n" }
        let tableRows = analysis.prefix { $0.hasPrefix("|") }
        let rest = analysis.dropFirst(tableRows.count).joined()
        if tableRows.count > 2 && writer.fits("\n<details><summary>Analysis</summary>\n\n" + tableRows.prefix(3).joined() + rest + "\n</details>\n") {
            writer.add("\n<details><summary>Analysis</summary>\n\n")
            writer.add(tableRows.prefix(2).joined())
            // The closing text must still fit after the rows.
            writer.limit -= rest.utf8.count + "\n</details>\n".utf8.count
            let n = writer.addList("", Array(tableRows.dropFirst(2)))
            writer.limit += rest.utf8.count + "\n</details>\n".utf8.count
            if n < tableRows.count - 2 { omitted.append("\(tableRows.count - 2 - n) of \(tableRows.count - 2) analysis rows") }
            writer.add(rest + "\n</details>\n")
        } else if tableRows.count > 2 {
            omitted.append("the analysis table")
        }
        var out = writer.text
        if !omitted.isEmpty {
            out += "\n_Not shown, to keep the step summary under GitHub's 1 MiB limit: \(omitted.joined(separator: ", ")). "
                + "The job log and the SARIF and JUnit reports list every finding._\n"
        }
        return out + "\n"
    }

    /// The verdict alone, cut to fit, when even the head does not fit the file's room.
    static func minimal(_ run: CheckRun, budget: Int) -> String {
        let text = "## netdns-audit check: \(run.status)\n\n\(MarkdownRenderer.escape(run.headline))\n\n"
        guard text.utf8.count > budget else { return text }
        return CheckRun.truncated(text, utf16Limit: max(0, budget / 3), note: "…\n")
    }

    func statusCell(_ s: ServiceOutcome) -> String {
        switch s.status {
        case .passed: return "passed"
        case .warned: return "passed (warning)"
        case .allowed: return "allowed by " + MarkdownRenderer.code(s.allowedBy ?? "", inTable: true)
        case .failed: return "**failed**"
        case .missing: return "**missing**"
        }
    }

    /// One finding as a list item.
    func item(_ f: PolicyFinding) -> String {
        var s = "- "
        if f.service.isEmpty && f.namespace == nil {
            s += "**the input**"
        } else {
            s += MarkdownRenderer.code(f.qualifiedService)
            if let i = f.instance { s += " (instance \(MarkdownRenderer.code(i)))" }
        }
        s += " `\(f.rule.id)`: \(MarkdownRenderer.escape(f.message))"
        if !f.evidence.isEmpty { s += ": \(MarkdownRenderer.code(CheckRun.truncated(f.evidence, utf16Limit: 2000)))" }
        if let loc = f.location { s += " at \(MarkdownRenderer.code(loc.file))\(loc.line.map { ":\($0)" } ?? "")" }
        return s + "\n"
    }

    /// Appends the summary to the file at `path` (created when missing), fitted to what the
    /// file has left of the runner's 1 MiB. Returns false, writing nothing, when the file is
    /// already full.
    @discardableResult
    static func append(_ run: CheckRun, to path: String) throws -> Bool {
        let url = URL(fileURLWithPath: path)
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        let size = Int(clamping: try handle.seekToEnd())
        let room = fileLimit - size
        guard room > 64 else { return false }
        try handle.write(contentsOf: Data(GitHubStepSummary().render(run, budget: room).utf8))
        return true
    }
}

/// Text that grows only while it stays within a byte limit.
struct BoundedText {
    var limit: Int
    private(set) var text = ""
    private var bytes = 0

    init(limit: Int) { self.limit = limit }

    func fits(_ piece: String) -> Bool { bytes + piece.utf8.count <= limit }

    /// Adds `piece` if it fits; returns whether it did.
    @discardableResult
    mutating func add(_ piece: String) -> Bool {
        let n = piece.utf8.count
        guard bytes + n <= limit else { return false }
        text += piece
        bytes += n
        return true
    }

    /// Adds a heading and as many items as fit (none, and no heading, when fewer than
    /// `required` fit); returns how many items were added.
    mutating func addList(_ heading: String, _ items: [String], required: Int = 1) -> Int {
        var size = heading.utf8.count
        for item in items.prefix(required) { size += item.utf8.count }
        guard bytes + size <= limit else { return 0 }
        add(heading)
        var n = 0
        for item in items {
            guard add(item) else { break }
            n += 1
        }
        return n
    }
}
