import Foundation
import Testing
@testable import NetDNSAudit

/// A file analysed as several byte ranges must give exactly the summary of one pass.
@Suite struct ParallelAnalysisTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/performance")

    func single(_ path: String) -> AuditSummary {
        Analyzer(options: AnalyzerOptions(jobs: 1)).analyzeFile(path).0
    }

    func split(_ path: String, parts: Int) -> AuditSummary {
        let size = Int((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)??.intValue ?? 0)
        return ParallelFileAnalyzer(analyzer: Analyzer(options: AnalyzerOptions(jobs: parts))).analyzeSplit(path, size: size, parts: parts).0
    }

    @Test(arguments: ["billing-prefix-timestamps.log", "shop-prefix.log", "generated-torn.log"])
    func splitCorpusFileEqualsOnePass(_ name: String) {
        let path = Self.fixtures.appendingPathComponent(name).path
        let whole = single(path)
        #expect(whole.totals.lines > 100)
        for parts in [2, 3, 5, 8, 13] {
            #expect(split(path, parts: parts) == whole, "\(name) in \(parts) parts")
        }
    }

    /// A torn trace line whose two pieces fall in different ranges is still rebuilt.
    @Test func tornTraceAcrossACutIsRebuilt() throws {
        var text = ""
        for i in 0..<400 {
            let pod = i % 10 == 0 ? "api-7d9f8b6c5-x2k4p" : "web-7d9f8b6c5-b2k4p"
            var message = "request \(i) served"
            if i == 50 { message = #"go package net: hostLookupOrder({"level":"info","msg":"request served"}"# }
            if i == 350 { message = "db.internal) = files,dns" }
            if i == 70 { message = "lookup db.internal on 10.96.0.10:53: no such host" }
            text += "[pod/\(pod)/app] 2026-11-20T10:00:00.\(String(100_000_000 + i))Z \(message)\n"
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-audit-torn-\(getpid()).log")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let whole = single(url.path)
        #expect(whole.totals.rebuiltTraceLines == 1)
        #expect(whole.totals.tornLines == 0)
        for parts in 2...12 {
            #expect(split(url.path, parts: parts) == whole, "\(parts) parts")
        }
    }

    /// Cuts fall just after a newline, and the ranges cover the file.
    @Test func cutsAreLineAligned() throws {
        let path = Self.fixtures.appendingPathComponent("shop-prefix.log").path
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        let ranges = RangeCuts.cuts(fd: fd, size: data.count, parts: 7)
        #expect(ranges.first?.lowerBound == 0)
        #expect(ranges.last?.upperBound == data.count)
        for (a, b) in zip(ranges, ranges.dropFirst()) {
            #expect(a.upperBound == b.lowerBound)
            #expect(data[b.lowerBound - 1] == 0x0A)
        }
    }
}
