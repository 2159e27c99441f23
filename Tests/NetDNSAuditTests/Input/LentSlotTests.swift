import Foundation
import Testing
@testable import NetDNSAudit

/// A `.gz` file read with more than one job is decompressed on its own thread, and its lines
/// are analysed where the decoder wrote them (`ReadAheadSource.lend(upTo:)`): lines across slot
/// boundaries, lines longer than a slot's headroom or than a slot, and over-long lines must give
/// the summary that the plain file gives with one job.
@Suite struct LentSlotTests {
    typealias Support = InputTestSupport

    /// Kubectl lines of every length: traces and failures of a few pods, with long ordinary
    /// lines (up to 300 KiB: beyond the 64 KiB headroom and the 128 KiB slot) between them.
    static func log(seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var text = ""
        for i in 0..<6_000 {
            let pod = "api-\(rng.below(5))"
            let stamp = "2026-11-20T10:00:\(String(format: "%02d", i % 60)).\(String(format: "%09d", i))Z"
            switch rng.below(100) {
            case 0..<20: text += "[pod/\(pod)/api] \(stamp) go package net: hostLookupOrder(db-\(rng.below(9)).internal) = cgo\n"
            case 20..<45: text += "[pod/\(pod)/api] \(stamp) lookup db-\(rng.below(30)).internal on 10.96.0.10:53: no such host\n"
            case 45..<46: text += "[pod/\(pod)/api] \(stamp) payload " + String(repeating: "x", count: 1 + rng.below(300 << 10)) + "\n"
            default: text += "[pod/\(pod)/api] \(stamp) served request \(rng.below(100_000)) in \(rng.below(900))ms\n"
            }
        }
        return Array(text.utf8)
    }

    static func withoutFileNames(_ summary: AuditSummary) -> AuditSummary {
        var copy = summary
        copy.instances = summary.instances.mapValues { instance in
            var s = instance
            s.files = []
            s.cgoEvidence?.file = ""
            s.goEvidence?.file = ""
            return s
        }
        return copy
    }

    @Test(arguments: [1 << 20, 100 << 10, 4096])
    func borrowedSlotsGiveThePlainFilesSummary(maxLineBytes: Int) throws {
        let dir = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = Self.log(seed: UInt64(maxLineBytes))
        #expect(plain.count > 8 * ReadAheadSource.slotBytes)
        let plainURL = dir.appendingPathComponent("app.log"), gzURL = dir.appendingPathComponent("app.log.gz")
        try Support.write(plain, to: plainURL)
        try Support.write(Support.gzip(plain), to: gzURL)
        // The preferred decoder (ISA-L where it can be used); the slots are the same for zlib.
        let one = Analyzer(options: AnalyzerOptions(maxLineBytes: maxLineBytes, jobs: 1)).analyzeInput(.path(plainURL.path))
        let threaded = Analyzer(options: AnalyzerOptions(maxLineBytes: maxLineBytes, jobs: 2)).analyzeInput(.path(gzURL.path))
        #expect(one.1.isEmpty && threaded.1.isEmpty)
        #expect(threaded.0.totals.bytes == plain.count)
        #expect(threaded.0.totals.lines == 6_000)
        #expect(Self.withoutFileNames(threaded.0) == Self.withoutFileNames(one.0))
        if maxLineBytes == 4096 { #expect(threaded.0.totals.overlongLines > 0) }
    }
}
