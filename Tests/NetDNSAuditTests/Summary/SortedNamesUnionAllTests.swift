import Testing
@testable import NetDNSAudit

/// Joining many sorted file lists at once gives the list that joining them one at a time gives.
@Suite struct SortedNamesUnionAllTests {
    @Test func unionOfAllEqualsTheUnionOneAtATime() {
        var rng = SplitMix64(seed: 7)
        for count in [0, 1, 2, 3, 5, 64, 1_000] {
            let lists: [[String]] = (0..<count).map { _ in
                Array(Set((0..<rng.below(4)).map { _ in "/var/log/pods/ns_pod-\(rng.below(300))/app/0.log" })).sorted()
            }
            var oneByOne: [String] = []
            for list in lists { oneByOne = SortedNames.union(oneByOne, list) }
            #expect(SortedNames.union(all: lists) == oneByOne)
        }
        #expect(SortedNames.union(all: [["b", "a"], ["c"]]) == ["a", "b", "c"])
    }

    @Test func foldingManySingleFileInstancesListsEveryFileOnce() {
        var summary = AuditSummary()
        let total = StreamAnalyzer.detailedInstanceLimit + 500
        for i in 0..<total {
            var s = InstanceSummary(identity: InstanceIdentity(service: "svc", name: "pod-\(i)"))
            s.files = ["/logs/pod-\(i % (total - 10)).log"]
            s.lines = 1
            summary.add(s)
        }
        let foldedIdentities = summary.instances.keys.sorted()[StreamAnalyzer.detailedInstanceLimit...]
        let expected = Set(foldedIdentities.flatMap { summary.instances[$0]!.files }).sorted()
        summary.applyLimits()
        let folded = summary.instances.values.first { $0.identity.name == InstanceSummary.foldedRowName }
        #expect(folded?.foldedInstances == 500)
        #expect(folded?.lines == 500)
        #expect(folded?.files == expected)
    }
}
