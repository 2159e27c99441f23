import Foundation

/// The report of an analysis: totals and one entry per service, sorted by name.
///
/// Written as the `--format json` document through its wire types (``WireDocument``, described
/// in docs/reports.md); each instance carries its raw counters under `counters`, so that saved
/// reports can be read back and merged (``SavedReportReader``, ``decode(_:)``).
public struct AuditReport: Sendable, Equatable {
    /// The version of the document's layout. It changes only when a reader of the previous
    /// version would misread a document of this one: a key's type or meaning changes, a key
    /// a reader needs goes, or a closed set (failure classes, decisions, libc flavours) gains a
    /// value. New keys do not change it: readers ignore keys they do not know.
    ///
    /// 2: `counters.firstSeen` and `lastSeen` are decimal strings (numbers beyond 2^53 are
    /// read rounded by JavaScript and jq). This version reads 1 and 2.
    public static let currentSchemaVersion = 2

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
        // The keys sorted, then each service made in that order (no service report moved by the
        // sort); no two keys are equal.
        services = groups.keys
            .sorted { ($0.name, $0.namespace ?? "", $0.namespace == nil ? 0 : 1) < ($1.name, $1.namespace ?? "", $1.namespace == nil ? 0 : 1) }
            .map { ServiceReport(name: $0.name, namespace: $0.namespace, instances: groups[$0] ?? []) }
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

    /// The report as JSON: pretty-printed (the `analyze --format json` layout) or on one line
    /// (`json-line`, and watch's periodic lines); sorted keys, ending in a newline.
    public func jsonData(oneLine: Bool = false) throws -> Data {
        var json = WireJSONWriter(pretty: !oneLine)
        WireDocument(self).write(to: &json)
        return Data(json.bytes + [0x0A])
    }

    /// Reads one report written by ``jsonData(oneLine:)`` (or by an earlier version: see
    /// ``currentSchemaVersion``), rebuilt from its counters; the report must be alone in `data`.
    public static func decode(_ data: Data) throws(ReportDecodingError) -> AuditReport {
        var reports: [SavedReport] = []
        do {
            try SavedReportReader().read(bytes: Array(data), name: "") { reports.append($0) }
        } catch {
            if let v = error.unsupportedVersion { throw .unsupportedSchemaVersion(v, supported: currentSchemaVersion) }
            throw .invalid(error.problem)
        }
        guard reports.count == 1, let report = reports.first else { throw .invalid("\(reports.count) reports where one was expected") }
        return AuditReport(report.summary, tool: report.tool ?? "")
    }
}

/// Why a saved report could not be read.
public enum ReportDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String)
    case unsupportedSchemaVersion(Int, supported: Int)

    public var description: String {
        switch self {
        case .invalid(let why): return why
        case .unsupportedSchemaVersion(let v, let s): return "schemaVersion \(v) is not supported (this version reads 1 to \(s))"
        }
    }
}

/// The version of the tool.
public enum NetDNSAuditVersion {
    public static let current = "0.1.0"
}
