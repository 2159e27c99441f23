import Foundation
import Testing
@testable import NetDNSAudit

/// The ground truth of one corpus file or tree (`Fixtures/corpus/truth/NAME.json`), reduced to
/// what an analyzer can check.
struct EnvelopeCorpusTruth {
    struct Instance {
        var name: String
        var namespace: String?
        /// Order lines per value, both directions together.
        var ordersByValue: [String: Int]
        var failuresByClass: [FailureClass: Int]
        var failuresByPath: [String: Int]
        var libc: Libc?
        var verdict: String
    }

    struct Service {
        var name: String
        var verdict: String
        var instances: [String: Instance]
    }

    var file: String
    var services: [String: Service]

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/corpus")

    /// The corpus' observed error classes in this tool's classes.
    static let classes: [String: FailureClass] = [
        "no_such_host": .nxdomain, "server_misbehaving": .servfail, "timeout": .timeout,
        "connection_refused": .refused, "glibc_eai_again": .temporary, "musl_eai_again": .temporary,
        "glibc_eai_noname": .nxdomain, "musl_eai_noname": .nxdomain,
    ]

    init(named name: String) throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("truth/\(name).json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        file = try #require(root["file"] as? String)
        let namespaces = root["namespaces"] as? [String: String] ?? [:]
        var services: [String: Service] = [:]
        for (serviceName, value) in try #require(root["services"] as? [String: [String: Any]]) {
            let summary = try #require(value["summary"] as? [String: Any])
            var instances: [String: Instance] = [:]
            for (instanceName, raw) in try #require(value["instances"] as? [String: [String: Any]]) {
                var orders: [String: Int] = [:]
                for (key, n) in raw["order_lines_seen_by_value"] as? [String: Int] ?? [:] {
                    let orderValue = String(key.split(separator: "=", maxSplits: 1).last ?? "")
                    orders[orderValue, default: 0] += n
                }
                var failures: [FailureClass: Int] = [:]
                for (key, n) in raw["failures_by_observed_class"] as? [String: Int] ?? [:] {
                    failures[try #require(Self.classes[key], "unknown class \(key)"), default: 0] += n
                }
                instances[instanceName] = Instance(
                    name: instanceName, namespace: namespaces[instanceName], ordersByValue: orders,
                    failuresByClass: failures, failuresByPath: raw["failures_by_path"] as? [String: Int] ?? [:],
                    libc: (raw["libc_from_log"] as? String).flatMap(Libc.init(rawValue:)),
                    verdict: try #require(raw["verdict_uses_only_pure_go_resolver"] as? String))
            }
            services[serviceName] = Service(
                name: serviceName, verdict: try #require(summary["verdict_uses_only_pure_go_resolver"] as? String),
                instances: instances)
        }
        self.services = services
    }

    /// Whether our verdict is the truth's answer (`no` is cgo or mixed).
    static func matches(_ verdict: Verdict, _ truth: String) -> Bool {
        switch truth {
        case "yes": return verdict == .pureGo
        case "no": return verdict == .cgo || verdict == .mixed
        default: return verdict == .undetermined
        }
    }
}

@Suite struct CorpusEnvelopeTests {
    static let truthFiles = [
        "cri__tree", "docker__invoice-pdf", "docker__legacy-sync-eu", "docker__legacy-sync",
        "docker__mailer", "docker__reports", "docker__webhook-relay",
    ]

    @Test(arguments: truthFiles)
    func reportMatchesTruth(_ truthName: String) throws {
        let truth = try EnvelopeCorpusTruth(named: truthName)
        let path = EnvelopeCorpusTruth.fixtures.appendingPathComponent(truth.file).path
        let result = Analyzer().analyze([.path(path)])
        #expect(result.errors.isEmpty)
        #expect(result.summary.totals.unattributedLines == 0)
        let report = AuditReport(result.summary)
        #expect(Set(report.services.map(\.name)) == Set(truth.services.keys))
        for service in report.services {
            let expected = try #require(truth.services[service.name], "unexpected service \(service.name)")
            #expect(service.instances.count == expected.instances.count, "instances of \(service.name)")
            #expect(EnvelopeCorpusTruth.matches(service.verdict, expected.verdict), "verdict of \(service.name): \(service.verdict)")
            for instance in service.instances {
                let want = try #require(expected.instances[instance.name], "unexpected instance \(instance.name)")
                let counters = instance.counters
                #expect(counters.identity.namespace == want.namespace, "namespace of \(instance.name)")
                if let namespace = want.namespace { #expect(service.namespace == namespace) }
                var orders: [String: Int] = [:]
                for (order, n) in counters.allOrders.counts { orders[order.rawValue] = n }
                #expect(orders == want.ordersByValue, "orders of \(instance.name)")
                #expect(instance.failures.byClass.counts == want.failuresByClass, "failure classes of \(instance.name)")
                var byPath: [String: Int] = [:]
                for (path, n) in instance.failures.byPath.counts { byPath[path.rawValue] = n }
                #expect(byPath == want.failuresByPath, "failure paths of \(instance.name)")
                #expect(instance.libc == (want.libc.map { [$0] } ?? []), "libc of \(instance.name)")
                #expect(EnvelopeCorpusTruth.matches(instance.verdict, want.verdict), "verdict of \(instance.name): \(instance.verdict)")
            }
        }
    }

    @Test func criPartialPiecesAreJoined() throws {
        // search-indexer-1's 16 KiB pieces: three P pieces across the tree, each joined with its F.
        let path = EnvelopeCorpusTruth.fixtures.appendingPathComponent("cri").path
        let result = Analyzer().analyze([.path(path)])
        #expect(result.summary.totals.continuationLines == 3)
        #expect(result.summary.totals.overlongLines == 0)
    }

    @Test func dockerWithoutConfigIsNamedByShortID() {
        // No config.v2.json next to the file: the short container ID of the file or directory name.
        let id = "df0f5f90b9929fed30d48b8129350925f84b188b1f3cb87a2aa91106dc1c329b"
        #expect(DockerContainerConfig.identity(forLogPath: "/nonexistent/gz/\(id)-json.log.gz")
            == InstanceIdentity(service: "df0f5f90b992", name: "df0f5f90b992"))
        #expect(DockerContainerConfig.identity(forLogPath: "/nonexistent/\(id)/rotated.log")
            == InstanceIdentity(service: "df0f5f90b992", name: "df0f5f90b992"))
    }

    @Test func dockerConfigGivesNameAndComposeService() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-envelope-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = #"{"ID":"abc","Name":"/shop-api-2","Config":{"Labels":{"com.docker.compose.service":"api"}}}"#
        try Data(config.utf8).write(to: dir.appendingPathComponent("config.v2.json"))
        #expect(DockerContainerConfig.identity(forLogPath: dir.appendingPathComponent("abc-json.log").path)
            == InstanceIdentity(service: "api", name: "shop-api-2"))
    }

    @Test func dockerContainersDirectoryReadsOnlyTheLogs() {
        let path = EnvelopeCorpusTruth.fixtures.appendingPathComponent("docker").path
        let result = Analyzer().analyze([.path(path)])
        #expect(result.summary.totals.files == 6)
        #expect(Set(result.summary.instances.keys.map(\.name))
            == ["invoice-pdf", "legacy-sync", "legacy-sync-eu", "mailer", "reports", "webhook-relay"])
    }
}
