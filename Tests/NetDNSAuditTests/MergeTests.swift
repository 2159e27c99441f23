import Foundation
import Testing
@testable import NetDNSAudit

/// Merging reports: analysing the parts of a log and merging them equals analysing the whole,
/// whatever the grouping and order of merges.
@Suite struct MergeTests {
    static let fixtureNames = [
        "shop-prefix.log", "billing-prefix-timestamps.log", "billing-prefix-timestamps-with-garbage.log", "price-cli.log",
    ]
    static let seeds: [UInt64] = [1, 2, 3, 4, 5, 6]

    @Test(arguments: fixtureNames, seeds)
    func partsMergeToTheWhole(name: String, seed: UInt64) throws {
        let fixture = MergeFixture.named(name)
        let whole = AuditReport(fixture.analyze(lineIndices: Array(fixture.lines.indices)))
        var rng = SplitMix64(seed: seed)
        let groups = 2 + Int(seed % 2)
        let parts = fixture.partitionByInstance(groups: groups, using: &rng)
        #expect(parts.map(\.count).reduce(0, +) == fixture.lines.count)
        #expect(parts.filter { !$0.isEmpty }.count == (fixture.name == "price-cli.log" ? 1 : groups))

        let partReports = parts.map { AuditReport(fixture.analyze(lineIndices: $0)) }
        let direct = AuditReport.merged(partReports)
        let throughJSON = AuditReport.merged(try partReports.map { try AuditReport.decode($0.jsonData()) })

        for merged in [direct, throughJSON] {
            #expect(merged.services == whole.services)
            #expect(merged.totals.files == groups)
            var totals = merged.totals
            totals.files = whole.totals.files
            #expect(totals == whole.totals)
        }
        #expect(!whole.services.isEmpty)
    }

    @Test func groupingAndOrderDoNotMatter() throws {
        let shop = MergeFixture.named("shop-prefix.log")
        let billing = MergeFixture.named("billing-prefix-timestamps.log")
        let garbage = MergeFixture.named("billing-prefix-timestamps-with-garbage.log")
        let price = MergeFixture.named("price-cli.log")
        var rng = SplitMix64(seed: 42)
        let shopParts = shop.partitionByInstance(groups: 2, using: &rng)
        // Reports that share instances (the billing pods appear in three of them), saved and read back.
        let reports = try [
            AuditReport(billing.analyze(lineIndices: Array(billing.lines.indices))),
            AuditReport(garbage.analyze(lineIndices: Array(garbage.lines.indices))),
            AuditReport(shop.analyze(lineIndices: shopParts[0]).merging(price.analyze(lineIndices: Array(price.lines.indices)))),
            AuditReport(shop.analyze(lineIndices: shopParts[1])),
        ].map { try AuditReport.decode($0.jsonData()) }
        let (a, b, c, d) = (reports[0], reports[1], reports[2], reports[3])

        #expect(a.merging(b) == b.merging(a))
        #expect(a.merging(b.merging(c)) == a.merging(b).merging(c))
        #expect(a.merging(b).merging(c.merging(d)) == a.merging(b.merging(c.merging(d))))
        let reference = AuditReport.merged(reports)
        for order in [[3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]] {
            #expect(AuditReport.merged(order.map { reports[$0] }) == reference)
        }
        // Merging a merged report again with nothing changes nothing.
        #expect(AuditReport.merged([reference]) == reference)
        #expect(try AuditReport.decode(reference.jsonData()) == reference)
    }

    @Test func samePodOnTwoDaysIsOneInstance() throws {
        let day1 = """
            [pod/api-7d9f8b6c5-x2k4p/api] 2026-11-20T10:00:00Z error="lookup ledger.svc on 10.96.0.10:53: no such host"
            [pod/api-7d9f8b6c5-x2k4p/api] 2026-11-20T11:00:00Z error="lookup ledger.svc on 10.96.0.10:53: no such host"

            """
        let day2 = """
            [pod/api-7d9f8b6c5-x2k4p/api] 2026-11-21T09:30:00Z error="lookup cache.svc on 10.96.0.10:53: server misbehaving"

            """
        let first = AuditReport(MergeFixture(name: "day1.log", bytes: Array(day1.utf8)).analyzeAll())
        let second = AuditReport(MergeFixture(name: "day2.log", bytes: Array(day2.utf8)).analyzeAll())
        let merged = AuditReport.merged([try AuditReport.decode(second.jsonData()), try AuditReport.decode(first.jsonData())])

        #expect(merged.services.count == 1)
        let service = try #require(merged.services.first)
        #expect(service.name == "api")
        #expect(service.instances.count == 1)
        let pod = try #require(service.instances.first)
        #expect(pod.name == "api-7d9f8b6c5-x2k4p")
        #expect(pod.files == ["Fixtures/merge/day1.log", "Fixtures/merge/day2.log"])
        #expect(pod.counters.lines == 3)
        #expect(pod.failures.total == 3)
        #expect(pod.failures.byClass[.nxdomain] == 2)
        #expect(pod.failures.byClass[.servfail] == 1)
        #expect(pod.firstSeen == "2026-11-20T10:00:00.000000000Z")
        #expect(pod.lastSeen == "2026-11-21T09:30:00.000000000Z")
        #expect(pod.goEvidence == EvidenceSample(
            text: #"error="lookup ledger.svc on 10.96.0.10:53: no such host""#, file: "Fixtures/merge/day1.log", line: 1))
        #expect(merged.totals.files == 2)
        #expect(merged.totals.lines == 3)
        #expect(merged.totals.failures == 3)
    }

    @Test func unrecognisedSamplesDoNotDependOnMergeOrder() {
        func totals(_ samples: [String]) -> InputTotals {
            var t = InputTotals()
            for s in samples { t.noteUnrecognisedSample(s) }
            return t
        }
        let a = totals(["go package net: q", "go package net: w", "go package net: e", "go package net: r", "go package net: t"])
        let b = totals(["go package net: a"])
        let c = totals(["go package net: z", "go package net: e"])
        var ab = a; ab.merge(b)
        var ba = b; ba.merge(a)
        #expect(ab == ba)
        #expect(ab.unrecognisedTraceSamples == ["go package net: a", "go package net: e", "go package net: q", "go package net: r", "go package net: t"])
        var abc = ab; abc.merge(c)
        var bc = b; bc.merge(c)
        var aBC = a; aBC.merge(bc)
        #expect(abc == aBC)
    }

    @Test func nameTalliesMergeExactlyBelowCapacity() {
        func tally(_ names: [(String, Int)]) -> NameTally {
            var t = NameTally()
            for (name, n) in names { t.add(name, n) }
            return t
        }
        let a = tally([("x", 1), ("y", 2)]), b = tally([("y", 3), ("z", 1)]), c = tally([("x", 4)])
        var ab = a; ab.merge(b)
        var ba = b; ba.merge(a)
        var abc = ab; abc.merge(c)
        var bc = b; bc.merge(c)
        var aBC = a; aBC.merge(bc)
        #expect(ab == ba)
        #expect(abc == aBC)
        #expect(abc.counts == ["x": 5, "y": 5, "z": 1])
    }

    @Test func identityOrderIsTotal() {
        let withNil = InstanceIdentity(service: "s", name: "n", container: nil)
        let withEmpty = InstanceIdentity(service: "s", name: "n", container: "")
        #expect(withNil < withEmpty)
        #expect(!(withEmpty < withNil))
    }
}

/// One log of the fixtures, split into lines, analysed whole or in parts as if each part
/// were the same file (same ``SourceContext``), with evidence line numbers mapped back.
struct MergeFixture {
    let name: String
    let bytes: [UInt8]
    /// Each line with its newline, as ranges into ``bytes``.
    let lines: [Range<Int>]

    /// The fixtures the fleet scripts test maps (the garbage file's over-long line is slow to pipe).
    static let fixtureNamesForFleet = ["shop-prefix.log", "billing-prefix-timestamps.log", "price-cli.log"]

    /// The corpus fixtures, shared with the ground-truth tests.
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/corpus")

    /// Where the corpus fixture `name` is.
    static func location(_ name: String) -> URL {
        for folder in ["kubectl", "plain", "garbage"] {
            let url = corpus.appendingPathComponent(folder).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) || FileManager.default.fileExists(atPath: url.path + ".gz") { return url }
        }
        return corpus.appendingPathComponent(name)
    }

    static func named(_ name: String) -> MergeFixture {
        let url = location(name)
        if FileManager.default.fileExists(atPath: url.path) {
            return MergeFixture(name: name, bytes: Array(try! Data(contentsOf: url)))
        }
        // Stored compressed (the garbage log's 2 MiB line): decoded with the tool's own reader.
        return MergeFixture(name: name, bytes: gunzip(location(name + ".gz").path))
    }

    /// The decompressed bytes of a gzip file.
    static func gunzip(_ path: String) -> [UInt8] {
        let source = GzipSource(try! FileDescriptorSource(path: path), path: path)
        defer { source.close() }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { try! source.read(into: $0) }
            if n == 0 { return out }
            out += chunk[0..<n]
        }
    }

    init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
        var lines: [Range<Int>] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            lines.append(start..<i + 1)
            start = i + 1
        }
        if start < bytes.count { lines.append(start..<bytes.count) }
        self.lines = lines
    }

    /// The path reports name; the same for the whole and every part.
    var path: String { "Fixtures/merge/\(name)" }

    /// The `[pod/POD/CONTAINER]` prefix of a kubectl line, or nil.
    func instanceKey(_ line: Range<Int>) -> String? {
        let slice = bytes[line]
        guard slice.starts(with: Array("[pod/".utf8)), let close = slice.firstIndex(of: 0x5D) else { return nil }
        return String(decoding: bytes[line.lowerBound...close], as: UTF8.self)
    }

    /// Line indices in `groups` parts: all lines of an instance in one part, chosen at random
    /// (the first `groups` instances fill every part, from a random part on); a line without
    /// an instance goes with the line before it (the first instance's part at the start). A
    /// file without instance prefixes is one instance: it all goes to one part.
    func partitionByInstance(groups: Int, using rng: inout SplitMix64) -> [[Int]] {
        var partOfKey: [String: Int] = [:]
        var parts = [[Int]](repeating: [], count: groups)
        let firstKey = lines.lazy.compactMap { instanceKey($0) }.first ?? ""
        var current: Int? = nil
        let rotation = Int(rng.next() % UInt64(groups))
        func part(of key: String) -> Int {
            if let p = partOfKey[key] { return p }
            let p = partOfKey.count < groups ? (partOfKey.count + rotation) % groups : Int(rng.next() % UInt64(groups))
            partOfKey[key] = p
            return p
        }
        for (i, line) in lines.enumerated() {
            let p: Int
            if let key = instanceKey(line) {
                p = part(of: key)
            } else {
                p = current ?? part(of: firstKey)
            }
            current = p
            parts[p].append(i)
        }
        return parts
    }

    /// The summary of the given lines (in order) read as the file ``path``.
    func analyze(lineIndices: [Int]) -> AuditSummary {
        var partBytes: [UInt8] = []
        for i in lineIndices { partBytes += bytes[lines[i]] }
        var source = MemorySource(bytes: partBytes, chunk: 4093)
        var (summary, error) = Analyzer().analyze(&source, source: SourceContext(path: path), mode: .perFile)
        #expect(error == nil)
        // Evidence names the line in the part: give it its line number in the whole file.
        for (identity, var instance) in summary.instances {
            if let line = instance.cgoEvidence?.line { instance.cgoEvidence?.line = lineIndices[line - 1] + 1 }
            if let line = instance.goEvidence?.line { instance.goEvidence?.line = lineIndices[line - 1] + 1 }
            summary.instances[identity] = instance
        }
        return summary
    }

    func analyzeAll() -> AuditSummary { analyze(lineIndices: Array(lines.indices)) }
}
