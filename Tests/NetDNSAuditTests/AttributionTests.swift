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

@Suite struct ReportGroupingTests {
    static let text = """
    [pod/checkout-7d9f8b6c5-x2k4p/checkout] go package net: hostLookupOrder(a) = cgo
    [pod/checkout-7d9f8b6c5-m9zqt/checkout] go package net: hostLookupOrder(a) = files,dns
    [pod/ledger-0/ledger] lookup b on 10.96.0.10:53: no such host
    """

    @Test func groupingByInstanceGivesOneRowPerPod() {
        let report = AuditReport(analyze(Self.text).grouped(by: .instance))
        #expect(report.services.map(\.name) == ["checkout-7d9f8b6c5-m9zqt/checkout", "checkout-7d9f8b6c5-x2k4p/checkout", "ledger-0/ledger"])
        #expect(report.services.map(\.verdict) == [.pureGo, .cgo, .pureGo])
    }

    @Test func groupingByNamespaceCombinesVerdicts() {
        var summary = analyze(Self.text)
        for (id, var s) in summary.instances {
            var moved = id
            moved.namespace = id.service == "ledger" ? "payments" : "shop"
            s.identity = moved
            summary.instances[id] = nil
            summary.instances[moved] = s
        }
        let report = AuditReport(summary.grouped(by: .namespace))
        #expect(report.services.map(\.name) == ["payments", "shop"])
        #expect(report.services.map(\.verdict) == [.pureGo, .mixed])
        #expect(report.services[1].instances.count == 2)
        #expect(AuditReport(summary.grouped(by: .service)).services.count == 2)
    }
}

/// The byte reading of an ASCII pod name gives the service the Character reading gives.
@Suite struct WorkloadNameBytesTests {
    @Test func asciiNamesReadAsBytesAsAsCharacters() {
        var rng = SplitMix64(seed: 16)
        let alphabet = Array("abcdeiouxz0159-")
        for _ in 0..<20_000 {
            let pod = String((0..<rng.below(24)).map { _ in alphabet[rng.below(alphabet.count)] })
            #expect(WorkloadName.asciiService(forPod: pod) == WorkloadName.characterService(forPod: pod), "\(pod)")
        }
        for pod in ["web-7d9f8b6c5-x2k4p", "db-0", "cron-28391220-abcde", "a--b", "-", "", "x-12345", "x-123456", "app-bcdfg"] {
            #expect(WorkloadName.asciiService(forPod: pod) == WorkloadName.characterService(forPod: pod), "\(pod)")
        }
        #expect(WorkloadName.asciiService(forPod: "caf\u{E9}-0") == nil)
    }
}

/// The byte reading of an ASCII log path gives the identity the Character reading gives.
@Suite struct KubeletLogPathBytesTests {
    @Test func asciiPathsReadAsBytesAsAsCharacters() {
        var rng = SplitMix64(seed: 61)
        let pieces = ["/", "_", "-", ".log", ".", "0", "12", "a", "web", "ns", "7d9f8b6c5", "x2k4p", "abcdef012345", "0123456789abcdef",
                      "ABCDEF012345", ".gz", "20261120-100000", "//", "pods", "containers"]
        for _ in 0..<30_000 {
            let path = (0..<rng.below(14)).map { _ in pieces[rng.below(pieces.count)] }.joined()
            #expect(KubeletLogPath.asciiIdentity(forPath: path)?.identity == KubeletLogPath.characterIdentity(forPath: path), "\(path)")
        }
        for path in ["/var/log/pods/default_web-7d9f8b6c5-x2k4p_0000-1111/app/0.log", "/var/log/pods/ns_pod_uid/c/3.log.20261120-100000.gz",
                     "/var/log/containers/web-7d9f8b6c5-x2k4p_default_app-0123456789abcdef0123.log", "0.log", "", "/", "a/b_c_d/e/0.log",
                     "/var/log/containers/p_n_c-ABCDEF0123456.log", "x/_a_b/c/0.log", "x/a_b_c//0.log"] {
            #expect(KubeletLogPath.asciiIdentity(forPath: path)?.identity == KubeletLogPath.characterIdentity(forPath: path), "\(path)")
        }
        #expect(KubeletLogPath.asciiIdentity(forPath: "/var/log/pods/ns_caf\u{E9}_u/c/0.log") == nil)
    }
}
