import Foundation
import Testing
@testable import NetDNSAudit

/// Feeds `text` to a fresh assembler in pieces of `piece` bytes; returns the lines and over-long count.
func assemble(_ text: String, piece: Int, maxLineBytes: Int = 64) -> (lines: [String], overlong: Int) {
    let assembler = LineAssembler(maxLineBytes: maxLineBytes)
    var lines: [String] = []
    var overlong = 0
    let bytes = Array(text.utf8)
    var at = 0
    while at < bytes.count {
        let end = min(bytes.count, at + piece)
        bytes[at..<end].withUnsafeBytes { assembler.feed($0, line: { lines.append(String(decoding: $0, as: UTF8.self)) }, overlong: { overlong += 1 }) }
        at = end
    }
    assembler.finish(line: { lines.append(String(decoding: $0, as: UTF8.self)) })
    return (lines, overlong)
}

@Suite struct LineAssemblerTests {
    static let text = "first\r\nsecond\n\nthird without newline"

    @Test(arguments: [1, 2, 3, 7, 100])
    func piecesOfAnySizeGiveTheSameLines(_ piece: Int) {
        let result = assemble(Self.text, piece: piece)
        #expect(result.lines == ["first", "second", "", "third without newline"])
        #expect(result.overlong == 0)
    }

    @Test(arguments: [1, 5, 64, 200])
    func overlongLinesAreReportedOnceAndSkipped(_ piece: Int) {
        let long = String(repeating: "x", count: 100)
        let result = assemble("a\n\(long)\nb\n\(long)", piece: piece)
        #expect(result.lines == ["a", "b"])
        #expect(result.overlong == 2)
    }

    @Test func unfinishedLineIsHeldUntilItsNewline() {
        let assembler = LineAssembler()
        var lines: [String] = []
        Array("par".utf8).withUnsafeBytes { assembler.feed($0, line: { lines.append(String(decoding: $0, as: UTF8.self)) }, overlong: {}) }
        #expect(lines.isEmpty)
        #expect(assembler.hasPartialLine)
        Array("tial\nnext".utf8).withUnsafeBytes { assembler.feed($0, line: { lines.append(String(decoding: $0, as: UTF8.self)) }, overlong: {}) }
        #expect(lines == ["partial"])
    }
}

@Suite struct LiveStreamTests {
    static let kubectl = """
    [pod/api-7d9f8b6c5-x2k4p/api] go package net: hostLookupOrder(db.internal) = cgo
    [pod/api-7d9f8b6c5-x2k4p/api] lookup db.internal: Name or service not known
    [pod/web-7d9f8b6c5-x2k4q/web] lookup cdn.example on 10.96.0.10:53: no such host
    [pod/web-7d9f8b6c5-x2k4q/web] ordinary line

    """

    func feed(_ stream: LiveStream, _ text: String) {
        Array(text.utf8).withUnsafeBytes { stream.feed($0) }
    }

    @Test func snapshotsDoNotEndTheStreamAndTheEndEqualsABatchRun() {
        let stream = LiveStream(source: SourceContext(path: nil), mode: .perLine, options: AnalyzerOptions())
        let bytes = Array(Self.kubectl.utf8)
        var previousLines = -1
        for piece in stride(from: 0, to: bytes.count, by: 37) {
            bytes[piece..<min(bytes.count, piece + 37)].withUnsafeBytes { stream.feed($0) }
            let snapshot = stream.snapshot()
            #expect(snapshot.totals.lines >= previousLines)
            previousLines = snapshot.totals.lines
        }
        let middle = stream.snapshot()
        #expect(middle == stream.snapshot())
        let final = stream.finish()
        let batch = analyze(Self.kubectl, path: nil, mode: .perLine)
        #expect(final == batch)
        #expect(final.totals.lines == 4)
        #expect(final.totals.failures == 2)
        #expect(final.totals.bytes == bytes.count)
    }

    @Test func pendingTornLineIsPendingInASnapshotAndTornAtTheEnd() {
        let stream = LiveStream(source: SourceContext(path: "app.log"), mode: .perFile, options: AnalyzerOptions())
        feed(stream, "go package net: hostLookupOrder(oops another write\nordinary\n")
        let snapshot = stream.snapshot()
        #expect(snapshot.totals.lines == 2)
        #expect(snapshot.totals.tornLines == 0)
        #expect(snapshot.totals.ordinaryLines == 1)
        let final = stream.finish()
        #expect(final.totals.tornLines == 1)
        #expect(final.totals.bucketTotal == 2)
    }

    @Test func aFileWithFewLinesIsDecidedAtTheFirstSnapshot() {
        let stream = LiveStream(source: SourceContext(path: "x/app.log"), mode: .perFile, options: AnalyzerOptions())
        feed(stream, "[pod/api-7d9f8b6c5-x2k4p/api] go package net: hostLookupOrder(db.internal) = cgo\n")
        let snapshot = stream.snapshot()
        #expect(snapshot.instances.keys.map(\.service) == ["api"])
        feed(stream, "[pod/api-7d9f8b6c5-x2k4p/api] go package net: hostLookupOrder(db.internal) = cgo\n")
        #expect(stream.finish().instances.values.map(\.forwardOrders[.cgo]) == [2])
    }

    @Test func theEvidenceObserverSeesTraceAndFailureLinesOnly() {
        let stream = LiveStream(source: SourceContext(path: nil), mode: .perLine, options: AnalyzerOptions())
        var seen: [String] = []
        stream.analyzer.evidenceObserver = { identity, message in
            seen.append(identity.service + ": " + String(decoding: message, as: UTF8.self))
        }
        feed(stream, Self.kubectl)
        #expect(seen == [
            "api: go package net: hostLookupOrder(db.internal) = cgo",
            "api: lookup db.internal: Name or service not known",
            "web: lookup cdn.example on 10.96.0.10:53: no such host",
        ])
    }
}

@Suite struct ProgressTickTests {
    final class Counter: @unchecked Sendable {
        let lock = NSLock()
        var ticks: [Int] = []
        func add(_ n: Int) { lock.lock(); ticks.append(n); lock.unlock() }
    }

    @Test func ticksAddUpToTheBytesReadAboutOncePerMebibyte() throws {
        let counter = Counter()
        var options = AnalyzerOptions()
        options.progress = { counter.add($0.newBytes) }
        let line = "lookup a.example on 10.0.0.10:53: no such host\n"
        let text = String(repeating: line, count: (3 << 20) / line.utf8.count + 1)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-ticks-\(UUID().uuidString).log")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let summary = Analyzer(options: options).analyze([.path(file.path)]).summary
        #expect(counter.ticks.reduce(0, +) == text.utf8.count)
        // A tick once at least 1 MiB was read since the last one (reads from a file are large),
        // and one at the end.
        #expect(counter.ticks.count >= 2)
        #expect(counter.ticks.dropLast().allSatisfy { $0 >= 1 << 20 })
        #expect(summary.totals.bytes == text.utf8.count)
    }

    @Test func noCallbackNoTicks() {
        let summary = analyze("one\ntwo\n")
        #expect(summary.totals.lines == 2)
    }

    @Test func inputByteCountIsTheSumOfFileSizesAndUnknownForStandardInput() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-size-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(count: 1000).write(to: folder.appendingPathComponent("a.log"))
        try Data(count: 234).write(to: folder.appendingPathComponent("sub/b.log"))
        let analyzer = Analyzer()
        #expect(analyzer.inputByteCount([.path(folder.path)]) == 1234)
        #expect(analyzer.inputByteCount([.path(folder.path), .path(folder.path + "/missing")]) == 1234)
        #expect(analyzer.inputByteCount([.path(folder.path), .standardInput]) == nil)
    }
}
