import Foundation
import NetDNSAudit

/// The corpus logs copied for the `check` tests, and their reports.
enum CheckFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/check")

    /// shop-prefix.log: cart, checkout, inventory-reindex pure-go; inventory cgo (2 instances).
    static var shop: String { path("shop-prefix.log") }
    /// billing-prefix-timestamps.log: billing-api, billing-worker pure-go; fx-rates undetermined;
    /// label-service, session-store mixed; ledger cgo (2 instances).
    static var billing: String { path("billing-prefix-timestamps.log") }
    /// price-cli.log: one pure-go service with 6 failures (4 nxdomain, 1 servfail, 1 timeout).
    static var priceCLI: String { path("price-cli.log") }

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func report(_ paths: String...) -> AuditReport {
        let result = Analyzer().analyze(paths.map { InputSpec.path($0) })
        precondition(result.errors.isEmpty, "fixture unreadable: \(result.errors)")
        return AuditReport(result.summary)
    }

    /// A report with one service whose names come from a hostile log.
    static func hostileReport(service: String, namespace: String?, file: String, evidence: String) -> AuditReport {
        var s = InstanceSummary(identity: InstanceIdentity(service: service, name: service + "-0", namespace: namespace))
        s.files = [file]
        s.lines = 1
        s.traceLines = 1
        s.debugLevel = 2
        s.forwardOrders.add(.cgo)
        s.cgoEvidence = EvidenceSample(text: evidence, file: file, line: 7)
        var summary = AuditSummary()
        summary.instances[s.identity] = s
        return AuditReport(summary)
    }
}
