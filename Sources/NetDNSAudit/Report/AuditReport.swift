import Foundation

/// The report of an analysis: totals and one entry per service, sorted by name.
///
/// This is the `--format json` document. Each instance carries its raw ``InstanceSummary``
/// under `counters`, so that saved reports can be merged again (``AuditReport/summary``).
public struct AuditReport: Sendable, Codable, Equatable {
    /// The version of this document's layout; a reader refuses other versions.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var tool: String
    public var totals: InputTotals
    public var services: [ServiceReport]

    /// Builds the report of a summary.
    public init(_ summary: AuditSummary, tool: String = "netdns-audit \(NetDNSAuditVersion.current)") {
        schemaVersion = Self.currentSchemaVersion
        self.tool = tool
        totals = summary.totals
        var groups: [ServiceKey: [InstanceSummary]] = [:]
        for s in summary.instances.values {
            groups[ServiceKey(name: s.identity.service, namespace: s.identity.namespace), default: []].append(s)
        }
        services = groups.map { ServiceReport(name: $0.key.name, namespace: $0.key.namespace, instances: $0.value) }
            .sorted { ($0.name, $0.namespace ?? "", $0.namespace == nil ? 0 : 1) < ($1.name, $1.namespace ?? "", $1.namespace == nil ? 0 : 1) }
    }

    struct ServiceKey: Hashable { let name: String; let namespace: String? }

    /// The mergeable summary this report was made from.
    public var summary: AuditSummary {
        var s = AuditSummary()
        s.totals = totals
        for service in services {
            for instance in service.instances { s.add(instance.counters) }
        }
        return s
    }

    /// The report as JSON (sorted keys, pretty-printed, ending in a newline).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Reads a report written by ``jsonData()``.
    public static func decode(_ data: Data) throws(ReportDecodingError) -> AuditReport {
        struct Version: Decodable { let schemaVersion: Int? }
        let version: Version
        do {
            version = try JSONDecoder().decode(Version.self, from: data)
        } catch {
            throw .notAReport("not a JSON object: \(error.localizedDescription)")
        }
        guard let v = version.schemaVersion else { throw .notAReport("no schemaVersion key") }
        guard v == currentSchemaVersion else { throw .unsupportedSchemaVersion(v, supported: currentSchemaVersion) }
        do {
            return try JSONDecoder().decode(AuditReport.self, from: data)
        } catch {
            throw .notAReport("malformed report: \(error)")
        }
    }
}

/// Why a saved report could not be read.
public enum ReportDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAReport(String)
    case unsupportedSchemaVersion(Int, supported: Int)

    public var description: String {
        switch self {
        case .notAReport(let why): return "not a netdns-audit JSON report (\(why))"
        case .unsupportedSchemaVersion(let v, let s): return "schemaVersion \(v) is not supported (this version reads \(s))"
        }
    }
}

/// The version of the tool.
public enum NetDNSAuditVersion {
    public static let current = "0.1.0"
}
