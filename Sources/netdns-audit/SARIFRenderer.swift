import Foundation
import NetDNSAudit

/// Renders a check run as SARIF 2.1.0, valid against the OASIS schema and inside GitHub code
/// scanning's documented requirements and limits (docs/ci-gate.md):
///
/// - one rule per ``PolicyRule`` with `shortDescription`, `fullDescription`, `help` and a
///   default level, plus the `results-not-shown` rule of the cap note;
/// - every result has exactly one location with `region.startLine` (the evidence's file and
///   line, the file's line 1, the policy file at the rule's key, the first input, or the
///   pseudo-file `standard-input`), and stable `partialFingerprints`;
/// - relative paths are resolved against the working directory: inside it, a normalised
///   relative URI with `uriBaseId` `%SRCROOT%` (declared in `originalUriBaseIds`); outside it,
///   an absolute `file:` URI;
/// - at most ``resultLimit`` results (GitHub shows only the top 5,000 of a run, and rejects more
///   than 25,000), errors first; the last one says how many more were not shown;
/// - messages are cut to ``messageLimit`` characters (the file stays far below GitHub's 10 MB);
/// - `invocations[0]` says whether the run was complete (`executionSuccessful`, `exitCode`) and
///   lists each unread input or unwritable output as a `toolExecutionNotifications` error.
struct SARIFRenderer {
    /// Results written at most, the cap note included.
    static let resultLimit = 5000
    /// The longest result message, in characters.
    static let messageLimit = 1000
    /// The base every relative URI is relative to.
    static let sourceRoot = "%SRCROOT%"
    /// The rule of the note that counts the results not shown.
    static let truncationRule = "results-not-shown"

    /// The working directory relative paths are resolved against.
    var workingDirectory: String = FileManager.default.currentDirectoryPath

    func render(_ result: CheckResult) throws -> Data {
        try render(CheckRun(result: result, report: AuditReport(AuditSummary())))
    }

    func render(_ run: CheckRun) throws -> Data {
        var rules = PolicyRule.allCases.map { rule in
            Rule(id: rule.id, name: Self.ruleName(rule.id), shortDescription: Message(text: rule.shortDescription),
                 fullDescription: Message(text: rule.fullDescription),
                 help: MultiformatMessage(text: rule.fullDescription, markdown: rule.fullDescription),
                 defaultConfiguration: Configuration(level: rule == .undetermined ? "warning" : "error"))
        }
        let truncation = "Only the first \(Self.resultLimit - 1) results are written (GitHub code scanning shows at most 5,000 results of a run); the check's own output lists every finding."
        rules.append(Rule(id: Self.truncationRule, name: Self.ruleName(Self.truncationRule),
                          shortDescription: Message(text: "More findings than a SARIF run may show."),
                          fullDescription: Message(text: truncation), help: MultiformatMessage(text: truncation, markdown: truncation),
                          defaultConfiguration: Configuration(level: "note")))

        let findings = run.orderedFindings
        var results: [Result] = []
        let shown = findings.count > Self.resultLimit ? Self.resultLimit - 1 : findings.count
        results.reserveCapacity(shown + 1)
        for f in findings.prefix(shown) {
            let place = run.place(f)
            let location = location(place)
            results.append(Result(
                ruleId: f.rule.id, level: f.severity == .violation ? "error" : "warning",
                message: Message(text: Self.plainText(CheckRun.truncated(message(f), utf16Limit: Self.messageLimit))),
                locations: [location],
                partialFingerprints: ["netdnsAudit/v1": Self.fingerprint([f.rule.id, f.namespace ?? "", f.service, f.instance ?? "", location.physicalLocation.artifactLocation.uri])]))
        }
        if findings.count > shown {
            let more = findings.count - shown
            let location = location(run.policyFile.map { FindingLocation(file: $0) } ?? run.inputs.first(where: { $0 != "-" }).map { FindingLocation(file: $0) })
            results.append(Result(
                ruleId: Self.truncationRule, level: "note",
                message: Message(text: "\(more) more findings not shown (\(findings.count) in all; a SARIF run shows at most \(Self.resultLimit)): see the output of netdns-audit check."),
                locations: [location], partialFingerprints: ["netdnsAudit/v1": Self.fingerprint([Self.truncationRule])]))
        }

        let notifications = run.problems.map { problem in
            Notification(level: "error", message: Message(text: Self.plainText(problem)), descriptor: ReportingDescriptorReference(id: "incomplete"))
        }
        let invocation = Invocation(
            executionSuccessful: !run.incomplete, exitCode: Int(run.exitCode.rawValue),
            exitCodeDescription: run.incomplete ? run.incompleteLine : run.result.verdictLine,
            toolExecutionNotifications: notifications.isEmpty ? nil : notifications)
        let root = URL(fileURLWithPath: workingDirectory, isDirectory: true).absoluteString
        let log = Log(runs: [Run(
            tool: Tool(driver: Driver(
                name: "netdns-audit", version: NetDNSAuditVersion.current, semanticVersion: Self.semanticVersion,
                rules: rules)),
            invocations: [invocation],
            originalUriBaseIds: [Self.sourceRoot: ArtifactLocation(uri: root.hasSuffix("/") ? root : root + "/", uriBaseId: nil)],
            results: results)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = JSONOutputEscaping.terminalSafe(try encoder.encode(log))
        data.append(0x0A)
        return data
    }

    /// `resolver-path` as `ResolverPath` (SARIF `name`: an identifier-like name).
    static func ruleName(_ id: String) -> String {
        id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// The version when it is a semantic version, else nil.
    static var semanticVersion: String? {
        let v = NetDNSAuditVersion.current
        let core = v.split(separator: "-", maxSplits: 1).first.map(String.init) ?? v
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) } ? v : nil
    }

    /// A SARIF plain-text message (§3.11.5, 3.11.6): `[` and `]` escaped with a backslash (and a
    /// backslash before them doubled), so that `[text](uri)` from a log is not an embedded link.
    static func plainText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "[", "]": out += "\\" + String(scalar)
            case "\\" where scalars.first == "[" || scalars.first == "]": out += "\\\\"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    func message(_ f: PolicyFinding) -> String {
        var s = CheckRun.subject(f) + ": \(f.message)"
        if !f.evidence.isEmpty { s += ". Evidence: \(f.evidence)" }
        if let loc = f.location, loc.file == "-" { s += " (standard input\(loc.line.map { ", line \($0)" } ?? ""))" }
        return s
    }

    /// The one location of a result: a file and line (line 1 when the finding names no line),
    /// or the pseudo-file `standard-input`.
    func location(_ place: FindingLocation?) -> Location {
        let (uri, base) = place.map { artifactURI($0.file) } ?? ("standard-input", Self.sourceRoot)
        let line = max(1, place?.line ?? 1)
        return Location(physicalLocation: PhysicalLocation(
            artifactLocation: ArtifactLocation(uri: uri, uriBaseId: base), region: Region(startLine: line)))
    }

    /// A path as a URI: inside the working directory, relative to `%SRCROOT%` (normalised: no
    /// `.` or `..` segments); elsewhere an absolute `file:` URI.
    func artifactURI(_ path: String) -> (uri: String, base: String?) {
        let absolute = path.hasPrefix("/") ? path : (workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/") + path
        var segments: [Substring] = []
        for part in absolute.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !segments.isEmpty { segments.removeLast() }; continue }
            segments.append(part)
        }
        let root = workingDirectory.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        if segments.count > root.count, Array(segments.prefix(root.count)) == root {
            return (segments.dropFirst(root.count).map { Self.percentEncoded(String($0)) }.joined(separator: "/"), Self.sourceRoot)
        }
        return ("file:///" + segments.map { Self.percentEncoded(String($0)) }.joined(separator: "/"), nil)
    }

    /// A path segment percent-encoded as RFC 3986 `pchar` without `:` (so a relative reference's
    /// first segment cannot look like a scheme): unreserved and sub-delims kept.
    static func percentEncoded(_ segment: String) -> String {
        var out = ""
        for byte in segment.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80, c.isLetter || c.isNumber || "-._~!$&'()*+,;=@".contains(c) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    /// Kept for callers that want one path's URI text (tests): see ``artifactURI(_:)``.
    static func uri(_ path: String, workingDirectory: String = FileManager.default.currentDirectoryPath) -> String {
        SARIFRenderer(workingDirectory: workingDirectory).artifactURI(path).uri
    }

    /// A stable 128-bit fingerprint (two FNV-1a 64-bit hashes) of the parts, as 32 hex digits.
    static func fingerprint(_ parts: [String]) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x6c62_272e_07bb_0142
        for part in parts {
            for byte in part.utf8 + [0] {
                a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
                b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
                b = b ^ (b >> 29)
            }
        }
        return String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)
    }

    struct Log: Encodable {
        var version = "2.1.0"
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var runs: [Run]
        enum CodingKeys: String, CodingKey { case version, schema = "$schema", runs }
    }
    struct Run: Encodable {
        var tool: Tool
        var invocations: [Invocation]
        var originalUriBaseIds: [String: ArtifactLocation]
        var results: [Result]
    }
    struct Tool: Encodable { var driver: Driver }
    struct Driver: Encodable {
        var name: String
        var version: String
        var semanticVersion: String?
        var rules: [Rule]
    }
    struct Rule: Encodable {
        var id: String
        var name: String
        var shortDescription: Message
        var fullDescription: Message
        var help: MultiformatMessage
        var defaultConfiguration: Configuration
    }
    struct Configuration: Encodable { var level: String }
    struct Message: Encodable { var text: String }
    struct MultiformatMessage: Encodable { var text: String; var markdown: String }
    struct Result: Encodable {
        var ruleId: String
        var level: String
        var message: Message
        var locations: [Location]
        var partialFingerprints: [String: String]
    }
    struct Location: Encodable { var physicalLocation: PhysicalLocation }
    struct PhysicalLocation: Encodable { var artifactLocation: ArtifactLocation; var region: Region }
    struct ArtifactLocation: Encodable { var uri: String; var uriBaseId: String? }
    struct Region: Encodable { var startLine: Int }
    struct Invocation: Encodable {
        var executionSuccessful: Bool
        var exitCode: Int
        var exitCodeDescription: String
        var toolExecutionNotifications: [Notification]?
    }
    struct Notification: Encodable { var level: String; var message: Message; var descriptor: ReportingDescriptorReference }
    struct ReportingDescriptorReference: Encodable { var id: String }
}
