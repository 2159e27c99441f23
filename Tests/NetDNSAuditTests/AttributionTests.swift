import Testing
@testable import NetDNSAudit

@Suite struct AttributionTests {
    @Test(arguments: [
        ("checkout-7d9f8b6c5-x2k4p", "checkout"),
        ("billing-worker-7f979bd494-xwk9n", "billing-worker"),
        ("inventory-reindex-29919481-6xq9z", "inventory-reindex"),
        ("node-agent-4xk2p", "node-agent"),
        ("search-indexer-0", "search-indexer"),
        ("ledger-12", "ledger"),
        ("my-app-cache", "my-app-cache"),
        ("web", "web"),
        ("api-v2-6c5d4f8b7-pvdsw", "api-v2"),
    ])
    func workloadFromPod(pod: String, service: String) {
        #expect(WorkloadName.service(forPod: pod) == service)
    }

    @Test func rfc3339() {
        #expect(RFC3339.parse("1970-01-01T00:00:00Z") == 0)
        #expect(RFC3339.parse("2026-11-20T10:00:01.5Z") == RFC3339.parse("2026-11-20T10:00:01.500000000Z"))
        #expect(RFC3339.parse("2026-11-20T12:00:01+02:00") == RFC3339.parse("2026-11-20T10:00:01Z"))
        #expect(RFC3339.parse("2026-13-20T10:00:01Z") == nil)
        #expect(RFC3339.parse("not a time at all, no") == nil)
        let t = RFC3339.parse("2026-11-20T10:05:00.001385433Z")!
        #expect(RFC3339.format(t) == "2026-11-20T10:05:00.001385433Z")
    }
}
