import Foundation
import Testing
@testable import NetDNSAudit

/// The report does not depend on `--jobs`: the bounds (1000 failing names per instance, 2000
/// detailed instances) are applied once, to the merged summary, and a split file whose
/// ranges hit them is read as one stream. The inputs are `Benchmarks/generate.py --hostile`'s,
/// scaled down (that script's full-size files run in `Scripts/soak.sh`).
@Suite struct JobsInvarianceTests {
    /// `--hostile names`: distinct failing names over 10 pods of one service, plus names that
    /// repeat (so the counts of the names kept matter).
    static func hostileNames(_ total: Int) -> String {
        (0..<total).map { i in
            let name = i % 3 == 0 ? "r\(i % 700)" : "h\(i)"
            return "[pod/hostile-api-\(i % 10)/api] lookup \(name).bad.example on 10.96.0.10:53: no such host\n"
        }.joined()
    }

    /// `--hostile instances`: StatefulSet ordinals of many services, one failure line each,
    /// some instances met again later in the file.
    static func hostileInstances(_ total: Int) -> String {
        (0..<total).map { i in
            let j = i % 5 == 0 ? (i * 7) % total : i
            return "[pod/svc\(j / 1000)-\(j % 1000)/app] lookup db\(i % 3).internal on 10.96.0.10:53: no such host\n"
        }.joined()
    }

    static func file(_ text: String) throws -> (URL, String) {
        let dir = try InputTestSupport.temporaryDirectory()
        let path = dir.appendingPathComponent("hostile.log").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return (dir, path)
    }

    /// One file split into 2 and 4 ranges gives the report of one stream.
    @Test(arguments: ["names", "instances"])
    func aSplitFileGivesTheReportOfOneStream(kind: String) throws {
        let (dir, path) = try Self.file(kind == "names" ? Self.hostileNames(14_000) : Self.hostileInstances(2_600))
        defer { try? FileManager.default.removeItem(at: dir) }
        let one = Analyzer(options: AnalyzerOptions(jobs: 1)).analyze([.path(path)])
        #expect(one.errors.isEmpty)
        let expected = one.summary
        let size = Int((try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0)
        for parts in [2, 4] {
            for memoryMap in [false, true] {
                let analyzer = Analyzer(options: AnalyzerOptions(jobs: parts, memoryMap: memoryMap))
                var (split, error) = ParallelFileAnalyzer(analyzer: analyzer).analyzeSplit(path, size: size, parts: parts)
                #expect(error == nil)
                split.applyLimits()
                #expect(split == expected, "\(kind), \(parts) ranges, mmap \(memoryMap)")
            }
        }
        // And the bounds hold in the report.
        for s in one.summary.instances.values { #expect(s.failingNames.counts.count <= NameTally.capacity) }
        #expect(one.summary.detailedInstanceCount <= StreamAnalyzer.detailedInstanceLimit)
    }

    /// Several files, each within the bounds but beyond them together: the merged summary is
    /// bounded once, the same for every `--jobs`.
    @Test func manyFilesAreBoundedOnceWhateverTheJobs() throws {
        let dir = try InputTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for f in 0..<4 {
            let text = (0..<600).map { i in
                "[pod/svc\(f)-\(i)/app] lookup n\(f * 600 + i % 400).bad on 10.96.0.10:53: no such host\n"
                    + "[pod/api-0/app] lookup a\(f * 1000 + i).bad on 10.96.0.10:53: no such host\n"
            }.joined()
            try Data(text.utf8).write(to: dir.appendingPathComponent("part\(f).log"))
        }
        let summaries = [1, 2, 4].map { jobs in Analyzer(options: AnalyzerOptions(jobs: jobs)).analyze([.path(dir.path)]).summary }
        #expect(summaries[0] == summaries[1])
        #expect(summaries[0] == summaries[2])
        let summary = summaries[1]
        #expect(summary.detailedInstanceCount == StreamAnalyzer.detailedInstanceLimit)
        let instanceCount = summary.instances.values.map(\.instanceCount).reduce(0, +)
        #expect(instanceCount == 4 * 600 + 1)
        #expect(summary.totals.failures == 4 * 1200)
        let api = summary.instances.values.first { $0.identity.name == "api-0" }
        #expect(api?.failingNames.counts.count == NameTally.capacity)
        let kept = api?.failingNames.counts.values.reduce(0, +) ?? 0
        let folded = api?.failingNames.foldedFailures ?? 0
        #expect(kept + folded == 2400)
    }
}

/// The sorted file lists of instances merge in linear time and stay sorted and distinct.
@Suite struct SortedNamesTests {
    @Test func unionIsSortedAndDistinct() {
        #expect(SortedNames.union(["a", "c"], ["b", "c", "d"]) == ["a", "b", "c", "d"])
        #expect(SortedNames.union(["b"], ["a", "b", "c"]) == ["a", "b", "c"])
        #expect(SortedNames.union(["a", "c"], ["b"]) == ["a", "b", "c"])
        #expect(SortedNames.union(["a"], []) == ["a"])
        // An unsorted list (a hand-written report) is put in order first.
        #expect(SortedNames.union(["c", "a", "c"], ["b"]) == ["a", "b", "c"])
        var files = InstanceSummary(identity: InstanceIdentity(service: "s", name: "s"))
        for i in (0..<5000).reversed() {
            var one = InstanceSummary(identity: files.identity)
            one.files = ["f\(i % 2500)"]
            files.merge(one)
        }
        #expect(files.files == (0..<2500).map { "f\($0)" }.sorted())
    }
}
