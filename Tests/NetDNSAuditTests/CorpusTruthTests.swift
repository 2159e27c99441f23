import Foundation
import Testing
@testable import NetDNSAudit

/// Every kubectl, plain and garbage file of the corpus gives exactly its ground truth.
@Suite struct CorpusTruthTests {
    /// Every truth file of the corpus, with the fixture it describes (relative to `Fixtures/`).
    static let cases: [(log: String, truth: String)] = [
        ("corpus/kubectl/shop-prefix.log", "kubectl__shop-prefix.json"),
        ("corpus/kubectl/billing-prefix-timestamps.log", "kubectl__billing-prefix-timestamps.json"),
        ("corpus/plain/price-cli.log", "plain__price-cli.json"),
        ("corpus/garbage/billing-prefix-timestamps-with-garbage.log.gz", "garbage__billing-prefix-timestamps-with-garbage.json"),
        ("corpus/gz/shop-prefix.log.gz", "gz__shop-prefix.log.json"),
        // The gzip copy of a Docker log, beside the container's config.v2.json that names it.
        ("corpus/gz/docker-webhook-relay", "gz__webhook-relay.json"),
        ("corpus/cri", "cri__tree.json"),
    ] + ["invoice-pdf", "legacy-sync-eu", "legacy-sync", "mailer", "reports", "webhook-relay"].map { name in
        // Each Docker truth names its container's log; the config.v2.json beside it names the container.
        ("corpus/" + (try! CorpusTruth(truthFile: "docker__\(name).json")).file, "docker__\(name).json")
    }

    static func report(_ relativePath: String, options: AnalyzerOptions = AnalyzerOptions()) -> (AuditReport, [InputError]) {
        let path = CorpusTruth.fixtures.appendingPathComponent(relativePath).path
        let result = Analyzer(options: options).analyze([.path(path)])
        return (AuditReport(result.summary), result.errors)
    }

    @Test(arguments: cases.map(\.log).indices)
    func reportMatchesGroundTruth(_ index: Int) throws {
        let (log, truthFile) = Self.cases[index]
        let truth = try CorpusTruth(truthFile: truthFile)
        let (report, errors) = Self.report(log)
        #expect(errors.isEmpty)
        #expect(report.totals.bucketTotal == report.totals.lines, "\(log): every line in one bucket")
        #expect(Set(report.services.map(\.name)) == Set(truth.services.keys), "\(log): services")
        for service in report.services {
            guard let expected = truth.services[service.name] else { continue }
            #expect(service.instances.count == expected.instanceCount, "\(log) \(service.name): instances")
            #expect(CorpusTruth.matches(service.verdict, truth: expected.verdict),
                    "\(log) \(service.name): verdict \(service.verdict) vs \(expected.verdict)")
            for instance in service.instances {
                let label = "\(log) \(instance.name)"
                guard let e = expected.instances[instance.name] else {
                    Issue.record("\(label): instance not in the truth")
                    continue
                }
                #expect(instance.counters.identity.namespace == e.namespace, "\(label): namespace")
                let orders = instance.lookups.byOrder.merging(instance.lookups.reverseByOrder).byRawValue
                #expect(orders == e.ordersByValue, "\(label): order lines")
                #expect(instance.failures.byClass.byRawValue == e.failuresByClass, "\(label): failures by class")
                #expect(instance.failures.byPath.byRawValue == e.failuresByPath, "\(label): failures by path")
                #expect(instance.failures.total == e.failuresByClass.values.reduce(0, +), "\(label): failures")
                #expect(instance.libc.map(\.rawValue) == (e.libc.map { [$0] } ?? []), "\(label): libc")
                #expect(CorpusTruth.matches(instance.verdict, truth: e.verdict),
                        "\(label): verdict \(instance.verdict) vs \(e.verdict)")
            }
        }
    }

    /// The garbage lines change nothing but the line accounting.
    @Test func garbageLinesAreCountedAndHarmless() {
        let (clean, _) = Self.report("corpus/kubectl/billing-prefix-timestamps.log")
        let (dirty, errors) = Self.report("corpus/garbage/billing-prefix-timestamps-with-garbage.log.gz")
        #expect(errors.isEmpty)
        #expect(clean.services.map(\.verdict) == dirty.services.map(\.verdict))
        #expect(clean.services.map(\.failures) == dirty.services.map(\.failures))
        #expect(clean.services.map(\.lookups) == dirty.services.map(\.lookups))
        #expect(dirty.totals.lines == clean.totals.lines + 4)
        #expect(dirty.totals.overlongLines == 1)
        // The NUL-only line and the BOM line have no kubectl prefix.
        #expect(dirty.totals.unattributedLines == 2)
        #expect(dirty.totals.bucketTotal == dirty.totals.lines)
        #expect(clean.totals.bucketTotal == clean.totals.lines)
    }

    /// Exact totals of one file, bucket by bucket.
    @Test func shopPrefixTotals() {
        let (report, _) = Self.report("corpus/kubectl/shop-prefix.log")
        let t = report.totals
        #expect(t.lines == 111)
        #expect(t.bytes == 22158)
        #expect(t.recognisedTraceLines == 31)
        #expect(t.failureLines == 33)
        #expect(t.failures == 33)
        #expect(t.ordinaryLines == 47)
        #expect(t.tornLines == 0 && t.unrecognisedTraceLines == 0 && t.overlongLines == 0)
        #expect(t.bucketTotal == t.lines)
        let inventory = report.services.first { $0.name == "inventory" }!
        #expect(inventory.verdict == .cgo)
        #expect(inventory.lookups.cgo == 16 && inventory.lookups.go == 0)
        #expect(inventory.libc == [.glibc])
        #expect(inventory.processes == 2)
    }
}
