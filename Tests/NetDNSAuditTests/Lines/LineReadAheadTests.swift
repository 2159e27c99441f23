import CNetDNSShim
import Foundation
import Testing
@testable import NetDNSAudit

/// Standard input with more than one job is read and line-indexed on a thread of its own
/// (`LineReadAhead`): every input, cut into slots of every size, gives the summary that one
/// thread reading it gives.
@Suite struct LineReadAheadTests {
    /// Standard input as one thread reads it.
    func reference(_ data: [UInt8]) -> (AuditSummary, InputError?) {
        var source = EveryPathTests.PacedSource(bytes: data, chunk: 1 << 20, lineAtATime: false)
        return Analyzer(options: AnalyzerOptions(jobs: 1)).analyze(&source, source: SourceContext(path: nil), mode: .perLine)
    }

    func readAhead(_ data: [UInt8], slotBytes: Int, chunk: Int) throws -> (AuditSummary, InputError?) {
        let source = EveryPathTests.PacedSource(bytes: data, chunk: chunk, lineAtATime: false)
        let reader = try #require(LineReadAhead(source, slotBytes: slotBytes))
        let analyzer = Analyzer(options: AnalyzerOptions(jobs: 2))
        return analyzer.analyze(reader, into: StreamAnalyzer(source: SourceContext(path: nil), mode: .perLine))
    }

    @Test(arguments: EveryPathTests.inputs)
    func everySlotSizeGivesOneSummary(_ path: String) throws {
        let data = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let (expected, _) = reference(data)
        #expect(expected.totals.lines > 0)
        for (slot, chunk) in [(1, 1), (7, 3), (100, 1 << 20), (4096, 1000), (LineReadAhead.defaultSlotBytes, 1 << 20)] {
            let (summary, error) = try readAhead(data, slotBytes: slot, chunk: chunk)
            #expect(error == nil)
            #expect(summary == expected, "slots of \(slot) bytes: \(path)")
        }
    }

    /// The default invocation takes the read-ahead path: `cat FILE | netdns-audit` with two jobs.
    @Test func standardInputWithTwoJobsIsReadAhead() throws {
        let lines = (0..<5000).map { i in
            i % 7 == 0 ? "[pod/api-7d9f-x\(i % 13)/api] go package net: hostLookupOrder(db.svc) = files,dns"
                       : "[pod/api-7d9f-x\(i % 13)/api] lookup db.svc on 10.0.0.10:53: no such host \(i)"
        }
        let data = Array((lines.joined(separator: "\n") + "\n[pod/api-7d9f-x1/api] last line without newline").utf8)
        let (expected, _) = reference(data)
        var source = EveryPathTests.PacedSource(bytes: data, chunk: 4093, lineAtATime: false)
        let (summary, error) = Analyzer(options: AnalyzerOptions(jobs: 2)).analyze(&source, source: SourceContext(path: nil), mode: .perLine)
        #expect(error == nil)
        #expect(summary == expected)
        #expect(summary.totals.lines == 5001)
        #expect(summary.totals.bytes == data.count)
    }

    /// A source that fails after some bytes: the lines before the failure (the unfinished last
    /// one too) are analysed, then the error is returned, as one thread reading it does.
    struct FailingSource: ByteSource {
        let bytes: [UInt8]
        var offset = 0
        mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
            guard offset < bytes.count else { throw .readFailed(path: "-", reason: "Input/output error") }
            let n = min(buffer.count, bytes.count - offset, 1000)
            bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            offset += n
            return n
        }
        mutating func close() {}
    }

    @Test func aReadErrorComesAfterTheLinesBeforeIt() throws {
        let data = Array(String(repeating: "lookup a.example on 10.0.0.10:53: no such host\n", count: 300).utf8) + Array("half a line".utf8)
        var one = FailingSource(bytes: data)
        let (expected, expectedError) = Analyzer(options: AnalyzerOptions(jobs: 1)).analyze(&one, source: SourceContext(path: nil), mode: .perLine)
        let reader = try #require(LineReadAhead(FailingSource(bytes: data), slotBytes: 4096))
        let (summary, error) = Analyzer(options: AnalyzerOptions(jobs: 2)).analyze(reader, into: StreamAnalyzer(source: SourceContext(path: nil), mode: .perLine))
        #expect(expectedError == .readFailed(path: "-", reason: "Input/output error"))
        #expect(error == expectedError)
        #expect(summary == expected)
        #expect(summary.totals.lines == 301)
        #expect(summary.totals.failures == 300)
        #expect(summary.totals.bytes == data.count)
    }
}
