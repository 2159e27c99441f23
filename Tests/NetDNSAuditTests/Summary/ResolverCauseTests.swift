import Foundation
import Testing
@testable import NetDNSAudit

/// Why cgo, per name: the `cgo` lookups' names are classified as read (``LookupNameClass``),
/// counted, merged and saved, and a service whose every cgo lookup is of one kind Go leaves to
/// libc is told so (real runs of the corpus: go1.27 with `mdns4_minimal` and with `myhostname`).
@Suite struct ResolverCauseTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let billing = root.appendingPathComponent("SampleLogs/kubectl-billing-timestamps.log").path

    static func summary(_ paths: [String]) -> AuditSummary {
        Analyzer().analyze(paths.map { .path($0) }).summary
    }

    /// The instances of `service` merged.
    static func instance(_ s: AuditSummary, _ service: String) throws -> InstanceSummary {
        let matches = s.instances.values.filter { $0.identity.service == service }
        var merged = try #require(matches.first)
        for other in matches.dropFirst() { merged.merge(other) }
        return merged
    }

    @Test func classifiesByGosRules() {
        func c(_ name: String, host: String = "api-7d9f8b6c5-x2k4p") -> LookupNameClass {
            Array(name.utf8).withUnsafeBytes { LookupNameClass.classify($0, hostName: host) }
        }
        #expect(c("printer-3f.local") == .mdns)
        #expect(c("Printer-3F.LOCAL.") == .mdns)
        #expect(c("catalog.shop.svc.cluster.local") == .clusterLocal)
        #expect(c("catalog.shop.svc.cluster.local.") == .clusterLocal)
        #expect(c("localhost") == .localhost)
        #expect(c("LOCALHOST.") == .localhost)
        #expect(c("db.localhost") == .localhost)
        #expect(c("_gateway") == .localhost)
        #expect(c("gateway") == .localhost)
        #expect(c("api-7d9f8b6c5-x2k4p") == .ownHost)
        #expect(c("API-7D9F8B6C5-X2K4P.") == .ownHost)
        #expect(c("api-7d9f8b6c5-x2k4p", host: "") == .other)
        #expect(c("fe80::1%eth0") == .escaped)
        #expect(c(#"a\.example"#) == .escaped)
        #expect(c("example.com") == .other)
        #expect(c("localhost.example.com") == .other)
        #expect(c("notlocal") == .other)
        #expect(c("") == .other)
        #expect(c(".local") == .mdns)
    }

    @Test func realRunsGetTheirPerNameCause() throws {
        let s = Self.summary([Self.billing, Self.root.appendingPathComponent("SampleLogs/kubectl-shop.log").path])
        let label = try Self.instance(s, "label-service")
        #expect(label.cgoLookupNames.byRawValue == ["mdns": 1, "cluster-local": 2])
        let session = try Self.instance(s, "session-store")
        #expect(session.cgoLookupNames.byRawValue == ["localhost": 1, "own-host": 1])
        let ledger = try Self.instance(s, "ledger")
        // A netcgo build: every name goes to libc, whatever its kind.
        #expect(ledger.cgoLookupNames.byRawValue == ["other": 5, "cluster-local": 1])

        let report = AuditReport(s)
        func cause(_ name: String) throws -> [String] { try #require(report.services.first { $0.name == name }?.cause) }
        #expect(try cause("label-service") == [
            "'dynamic selection' with cgo only for *.local names (1): an mdns source in nsswitch.conf sends them to libc (mDNS; go1.19 sends every *.local name, with or without it); *.cluster.local names (2): the cluster's own names end in .local too, so the same mdns rule sends them to libc (3 of 8 lookups)",
        ])
        #expect(try cause("session-store") == [
            "'dynamic selection' with cgo only for localhost, _gateway or the host's own name (2): the myhostname source in nsswitch.conf (2 of 9 lookups)",
        ])
        // The netcgo decision line is the cause, not the names.
        #expect(try cause("ledger") == [
            "decision line 'using (the) cgo DNS resolver': the netcgo build tag (go1.20+ wording 'using the cgo DNS resolver'); with go1.19's 'using cgo DNS resolver' also GODEBUG=netdns=cgo, LOCALDOMAIN, RES_OPTIONS or HOSTALIASES in the environment",
        ])
        // Every lookup cgo, of ordinary names, after 'dynamic selection': the system configuration.
        #expect(try cause("inventory").first?.hasPrefix("'dynamic selection' with every lookup cgo: the system configuration") == true)
    }

    @Test func classesMergeSaveAndReadBack() throws {
        let s = Self.summary([Self.billing])
        var twice = s
        twice.merge(s)
        #expect(try Self.instance(twice, "label-service").cgoLookupNames.byRawValue == ["mdns": 2, "cluster-local": 4])
        let data = try AuditReport(s).jsonData()
        #expect(String(decoding: data, as: UTF8.self).contains(#""cgoLookupNames" : {"#))
        var read: [SavedReport] = []
        try SavedReportReader().read(bytes: Array(data), name: "r.json") { read.append($0) }
        #expect(read.count == 1)
        #expect(read[0].summary.instances == s.instances)
        #expect(AuditReport(read[0].summary).services.map(\.cause) == AuditReport(s).services.map(\.cause))
    }

    @Test func anUnknownClassIsRefused() {
        let text = #"{"schemaVersion": 2, "totals": {"lines": 1, "recognisedTraceLines": 1}, "services": [{"instances": [{"counters": {"identity": {"service": "a", "name": "b"}, "lines": 1, "traceLines": 1, "forwardOrders": {"cgo": 1}, "cgoLookupNames": {"carrier-pigeon": 1}}}]}]}"#
        var problem: String?
        do { try SavedReportReader().read(bytes: Array(text.utf8), name: "r.json") { _ in } } catch { problem = error.problem }
        #expect(problem == "services[0].instances[0].counters.cgoLookupNames: unknown lookup name class 'carrier-pigeon'")
    }

    /// A report saved before the classes were counted has none: the general per-name text.
    @Test func frozenReportsGetTheGeneralText() throws {
        let frozen = Self.root.appendingPathComponent("Tests/NetDNSAuditTests/Fixtures/FrozenReports/v1/SampleLogs.json")
        var read: [SavedReport] = []
        try SavedReportReader().read(bytes: Array(try Data(contentsOf: frozen)), name: "SampleLogs.json") { read.append($0) }
        let label = try #require(AuditReport(read[0].summary).services.first { $0.name == "label-service" })
        #expect(label.cause?.first?.hasPrefix("'dynamic selection' with cgo for 3 of 8 lookups: only some names go to libc") == true)
    }
}
