import Foundation
import NetDNSAudit

/// One `check` run as its CI outputs report it: the policy's result, the report it judged, and
/// what made the run incomplete. Every output (human lines, annotations, step summary, JUnit,
/// SARIF) is rendered from this one value, so all of them say the same thing.
struct CheckRun {
    var result: CheckResult
    var report: AuditReport
    /// One line per input, saved report or output file that could not be read or written, each
    /// naming its file. Any of them makes the run incomplete (exit code 2).
    var problems: [String] = []
    /// The `--policy` file, if one was given: where findings about the whole input are placed.
    var policyFile: String? = nil
    /// The 1-based line of each key of the policy file, for those findings' line.
    var policyKeyLines: [String: Int] = [:]
    /// The inputs named on the command line (logs, directories, saved reports), `-` for standard input.
    var inputs: [String] = []

    /// Whether something could not be read or written: the verdict covers only what was read.
    var incomplete: Bool { !problems.isEmpty }

    var exitCode: ExitCode {
        if incomplete { return .usageOrInputError }
        return result.passed ? .success : .policyViolation
    }

    /// `incomplete`, `failed` or `passed`: the word every output heads its verdict with.
    var status: String { incomplete ? "incomplete" : result.passed ? "passed" : "failed" }

    /// `check incomplete: 1 input or output could not be read or written (exit code 2)`.
    var incompleteLine: String {
        let n = problems.count
        return "check incomplete: \(n) input\(n == 1 ? "" : "s") or output\(n == 1 ? "" : "s") could not be read or written (exit code 2)"
    }

    /// The verdict line, prefixed by the incomplete line when the run is incomplete.
    var headline: String { incomplete ? "\(incompleteLine); \(result.verdictLine)" : result.verdictLine }

    /// Findings as CI outputs list them: violations before warnings; within each, findings about
    /// the whole input first, then service order.
    var orderedFindings: [PolicyFinding] { result.violations + result.warnings }

    /// Where an output places a finding that its evidence does not place (standard input, a
    /// missing service, an empty input): the policy file at the rule's key, else the first file
    /// named on the command line. Nil when only standard input was read and no policy file given.
    func place(_ finding: PolicyFinding) -> FindingLocation? {
        if let location = finding.location, location.file != "-", !location.file.isEmpty { return location }
        if let policyFile {
            return FindingLocation(file: policyFile, line: policyKeyLines[Self.policyKey(finding.rule)] ?? 1)
        }
        if let first = inputs.first(where: { $0 != "-" && !$0.isEmpty }) {
            return FindingLocation(file: first, line: nil)
        }
        return nil
    }

    /// The policy file key that configures a rule.
    static func policyKey(_ rule: PolicyRule) -> String {
        switch rule {
        case .resolverPath: return "allow"
        case .undetermined: return "undetermined"
        case .requireTrace: return "requireTrace"
        case .maxFailures: return "maxFailures"
        case .failOn: return "failOn"
        case .expectedService: return "expectServices"
        case .skippedInput: return "onSkipped"
        case .noInput: return "allowEmptyInput"
        case .cgoResolverCompiled: return "binaries"
        case .loaderMissing, .libcMismatch, .glibcTooOld, .libraryMissing, .entrypointMissing, .cgoResolver,
             .caCertificatesMissing, .tzdataMissing, .pieLoader: return "images"
        case .fault: return "failOnFault"
        }
    }

    /// The line of the first occurrence of each `"key"` in a policy file's text.
    static func keyLines(_ data: Data) -> [String: Int] {
        var lines: [String: Int] = [:]
        let keys = PolicyRule.allCases.map(policyKey)
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for key in keys where lines[key] == nil && line.contains("\"\(key)\"") { lines[key] = index + 1 }
        }
        return lines
    }

    /// A finding's subject for people: `service (instance i)`, or `the input` for the whole input.
    static func subject(_ f: PolicyFinding) -> String {
        guard !f.service.isEmpty || f.namespace != nil else { return "the input" }
        var s = f.qualifiedService
        if let i = f.instance { s += " (instance \(i))" }
        return s
    }

    /// Cuts `text` to at most `limit` UTF-16 code units (how .NET and JavaScript count), ending
    /// with a note when it was cut; never splits a character.
    static func truncated(_ text: String, utf16Limit limit: Int, note: String = "… (truncated)") -> String {
        guard text.utf16.count > limit else { return text }
        let budget = max(0, limit - note.utf16.count)
        var count = 0
        var out = ""
        for scalar in text.unicodeScalars {
            let width = scalar.value > 0xFFFF ? 2 : 1
            if count + width > budget { break }
            count += width
            out.unicodeScalars.append(scalar)
        }
        return out + note
    }
}
