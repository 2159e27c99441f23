import Foundation
import NetDNSAudit

/// Renders a check result as SARIF 2.1.0 (GitHub code scanning and other SARIF viewers):
/// one rule per ``PolicyRule``, one result per violation (`error`) and warning (`warning`).
struct SARIFRenderer {
    func render(_ result: CheckResult) throws -> Data {
        let rules = PolicyRule.allCases.map { Rule(id: $0.id, shortDescription: Message(text: $0.shortDescription)) }
        let results = (result.services.flatMap(\.findings) + result.inputs).map { f in
            Result(
                ruleId: f.rule.id, level: f.severity == .violation ? "error" : "warning",
                message: Message(text: message(f)), locations: Self.locations(f.location))
        }
        let log = Log(runs: [Run(tool: Tool(driver: Driver(
            name: "netdns-audit", version: NetDNSAuditVersion.current,
            rules: rules)), results: results)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = JSONOutputEscaping.terminalSafe(try encoder.encode(log))
        data.append(0x0A)
        return data
    }

    func message(_ f: PolicyFinding) -> String {
        var s = f.qualifiedService
        if let i = f.instance { s += " (instance \(i))" }
        s += ": \(f.message)"
        if !f.evidence.isEmpty { s += ". Evidence: \(f.evidence)" }
        return s
    }

    /// A location when the evidence names a file (not standard input); a region when it names a line.
    static func locations(_ location: FindingLocation?) -> [Location]? {
        guard let location, location.file != "-", !location.file.isEmpty else { return nil }
        return [Location(physicalLocation: PhysicalLocation(
            artifactLocation: ArtifactLocation(uri: uri(location.file)),
            region: location.line.map { Region(startLine: $0) }))]
    }

    /// A relative path stays a relative URI reference (percent-encoded); an absolute path becomes a file URI.
    static func uri(_ path: String) -> String {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).absoluteString }
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ":")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }

    struct Log: Encodable {
        var version = "2.1.0"
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var runs: [Run]
        enum CodingKeys: String, CodingKey { case version, schema = "$schema", runs }
    }
    struct Run: Encodable { var tool: Tool; var results: [Result] }
    struct Tool: Encodable { var driver: Driver }
    struct Driver: Encodable { var name: String; var version: String; var rules: [Rule] }
    struct Rule: Encodable { var id: String; var shortDescription: Message }
    struct Message: Encodable { var text: String }
    struct Result: Encodable { var ruleId: String; var level: String; var message: Message; var locations: [Location]? }
    struct Location: Encodable { var physicalLocation: PhysicalLocation }
    struct PhysicalLocation: Encodable { var artifactLocation: ArtifactLocation; var region: Region? }
    struct ArtifactLocation: Encodable { var uri: String }
    struct Region: Encodable { var startLine: Int }
}
