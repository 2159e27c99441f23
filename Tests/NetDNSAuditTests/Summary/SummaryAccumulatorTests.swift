import Testing
@testable import NetDNSAudit

/// The accumulator, which folds as it goes, makes the summary that merging every input, the
/// `--service` rename and `applyLimits` make at the end.
@Suite struct SummaryAccumulatorTests {
    /// The old way: merge everything in order, rename, bound.
    static func atTheEnd(_ inputs: [AuditSummary], service: String?) -> AuditSummary {
        var all = AuditSummary()
        for s in inputs { all.merge(s) }
        if let service { all.assignService(service) }
        all.applyLimits()
        return all
    }

    static func accumulated(_ inputs: [AuditSummary], service: String?) -> AuditSummary {
        var accumulator = SummaryAccumulator(service: service)
        for s in inputs { accumulator.add(s) }
        return accumulator.finish()
    }

    /// `files` single-instance inputs (a pod per file, some pods in two files, some inputs
    /// holding a folded row as a stream that folded would), in `services` services of
    /// `namespaces` namespaces, with failing names drawn from `names`.
    static func inputs(files: Int, services: Int, namespaces: Int, names: Int, seed: UInt64) -> [AuditSummary] {
        var rng = SplitMix64(seed: seed)
        return (0..<files).map { i in
            var summary = AuditSummary()
            summary.totals.files = 1
            summary.totals.lines = 1 + rng.below(5)
            let pod = rng.below(4) == 0 ? rng.below(files) : i
            let service = "svc-\(pod % services)"
            let namespace = pod % 7 == 0 ? nil : "ns-\(pod % namespaces)"
            var instance: InstanceSummary
            if rng.below(50) == 0 {
                instance = InstanceSummary(identity: InstanceIdentity(service: service, name: InstanceSummary.foldedRowName, namespace: namespace))
                instance.foldedInstances = 1 + rng.below(3)
            } else {
                instance = InstanceSummary(identity: InstanceIdentity(service: service, name: "pod-\(pod)", container: pod % 3 == 0 ? "app" : nil,
                                                                   namespace: namespace))
            }
            instance.files = ["/var/log/pods/f\(i).log"]
            instance.lines = summary.totals.lines
            instance.traceLines = rng.below(3)
            instance.decisions.add(rng.below(2) == 0 ? .cgoBuild : .goBuild, rng.below(3))
            instance.debugLevel = rng.below(3)
            if rng.below(3) > 0 {
                instance.noteTimestamp(Int64(rng.below(1_000_000)))
                instance.noteTimestamp(Int64(rng.below(1_000_000)))
            }
            if rng.below(2) == 0 {
                instance.cgoEvidence = EvidenceSample(text: "line \(rng.below(9))", file: "/var/log/pods/f\(i).log", line: 1 + rng.below(9))
            }
            for _ in 0..<rng.below(4) {
                instance.failingNames.add("name-\(rng.below(names)).example", 1 + rng.below(3))
                instance.failures.add(.serverNamed, .nxdomain)
                instance.failureLines += 1
            }
            if rng.below(5) == 0 { instance.noteLibc(rng.below(2) == 0 ? .glibc : .musl) }
            summary.instances[instance.identity] = instance
            return summary
        }
    }

    @Test(arguments: [
        (files: 10, services: 3, namespaces: 2, names: 5),
        (files: 2_100, services: 40, namespaces: 3, names: 20),
        (files: 6_000, services: 1_500, namespaces: 4, names: 50),
        (files: 5_000, services: 3, namespaces: 1, names: 5_000),
    ])
    func foldingAsItGoesEqualsFoldingAtTheEnd(_ shape: (files: Int, services: Int, namespaces: Int, names: Int)) {
        for seed in [1, 2] as [UInt64] {
            let inputs = Self.inputs(files: shape.files, services: shape.services, namespaces: shape.namespaces, names: shape.names, seed: seed)
            for service in [nil, "one"] as [String?] {
                let expected = Self.atTheEnd(inputs, service: service)
                let got = Self.accumulated(inputs, service: service)
                #expect(got.totals == expected.totals)
                #expect(got.instances.count == expected.instances.count)
                #expect(got == expected, "files \(shape.files), services \(shape.services), seed \(seed), service \(service ?? "-")")
                if shape.names > 2 * NameTally.capacity {
                    // The rows' names were trimmed on the way: the order of the joins mattered.
                    #expect(expected.instances.values.contains { $0.failingNames.foldedNames > 0 })
                }
            }
        }
    }

    /// Reversed input: every instance is first kept, then folded when smaller ones come.
    @Test func instancesComingLargestFirstAreFoldedWhenSmallerOnesCome() {
        let inputs = Array(Self.inputs(files: 4_500, services: 30, namespaces: 2, names: 10, seed: 9).reversed())
        let expected = Self.atTheEnd(inputs, service: nil)
        #expect(expected.detailedInstanceCount == StreamAnalyzer.detailedInstanceLimit)
        #expect(Self.accumulated(inputs, service: nil) == expected)
    }
}
