import Foundation
@testable import NetDNSAudit

/// The ground truth shipped with a corpus file, reduced to what a log can show, in this
/// tool's vocabulary.
struct CorpusTruth {
    struct Instance {
        var name: String
        /// The Kubernetes namespace, where the source shows one (CRI paths).
        var namespace: String?
        var ordersByValue: [String: Int]
        var failuresByClass: [String: Int]
        var failuresByPath: [String: Int]
        var libc: String?
        var verdict: String
    }

    struct Service {
        var name: String
        var instanceCount: Int
        var verdict: String
        var instances: [String: Instance]
    }

    var services: [String: Service]
    /// The log file or tree, relative to `Fixtures/corpus`.
    var file: String

    /// The fixtures folder of this test target.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Maps the corpus' `observed_class` onto ``FailureClass`` names.
    static func failureClass(observed: String) -> String {
        switch observed {
        case "no_such_host", "glibc_eai_noname", "musl_eai_noname": return "nxdomain"
        case "server_misbehaving": return "servfail"
        case "timeout": return "timeout"
        case "connection_refused": return "refused"
        case "glibc_eai_again", "musl_eai_again": return "temporary"
        default: return "unmapped:\(observed)"
        }
    }

    init(truthFile: String) throws {
        let url = Self.fixtures.appendingPathComponent("corpus/truth/\(truthFile)")
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        file = root["file"] as! String
        let namespaces = root["namespaces"] as? [String: String] ?? [:]
        var services: [String: Service] = [:]
        for (name, value) in root["services"] as! [String: Any] {
            let service = value as! [String: Any]
            let summary = service["summary"] as! [String: Any]
            var instances: [String: Instance] = [:]
            for (instanceName, v) in service["instances"] as! [String: Any] {
                let i = v as! [String: Any]
                var orders: [String: Int] = [:]
                for (key, n) in i["order_lines_seen_by_value"] as! [String: Int] {
                    let value = String(key.split(separator: "=", maxSplits: 1)[1])
                    orders[value, default: 0] += n
                }
                var classes: [String: Int] = [:]
                for (key, n) in i["failures_by_observed_class"] as! [String: Int] {
                    classes[Self.failureClass(observed: key), default: 0] += n
                }
                instances[instanceName] = Instance(
                    name: instanceName, namespace: namespaces[instanceName], ordersByValue: orders, failuresByClass: classes,
                    failuresByPath: i["failures_by_path"] as! [String: Int], libc: i["libc_from_log"] as? String,
                    verdict: i["verdict_uses_only_pure_go_resolver"] as! String)
            }
            services[name] = Service(
                name: name, instanceCount: summary["instances"] as! Int,
                verdict: summary["verdict_uses_only_pure_go_resolver"] as! String, instances: instances)
        }
        self.services = services
    }

    /// Whether a verdict of this tool matches the truth's yes/no/undetermined.
    static func matches(_ verdict: Verdict, truth: String) -> Bool {
        switch truth {
        case "yes": return verdict == .pureGo
        case "no": return verdict == .cgo || verdict == .mixed
        case "undetermined": return verdict == .undetermined
        default: return false
        }
    }
}

extension Tally {
    /// The counts keyed by raw value, for comparing with ground truth.
    var byRawValue: [String: Int] {
        Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) })
    }
}
