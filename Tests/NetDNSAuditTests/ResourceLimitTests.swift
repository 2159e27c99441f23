import Foundation
import Testing
@testable import NetDNSAudit
#if canImport(Glibc)
import Glibc
#endif

/// Hostile or odd inputs that must neither crash, hang nor use unbounded memory: a 1 GiB
/// line, a symlink loop, unreadable paths, named pipes, and files that change while read.
/// Each gives a clear message and a finished report.
@Suite struct ResourceLimitTests {
    /// `count` bytes of `fill` then `tail`, made up on the fly: nothing of the size is allocated.
    struct SyntheticSource: ByteSource {
        let count: Int
        let fill: UInt8
        let tail: [UInt8]
        var offset = 0

        mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
            if offset < count {
                let n = min(buffer.count, count - offset)
                memset(buffer.baseAddress!, Int32(fill), n)
                offset += n
                return n
            }
            let done = offset - count
            let n = min(buffer.count, tail.count - done)
            guard n > 0 else { return 0 }
            tail.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + done, byteCount: n) }
            offset += n
            return n
        }

        mutating func close() {}
    }

    @Test func oneGibibyteLineIsCountedOverlongAndTheNextLineIsRead() {
        let tail = Array("\n[pod/api-7d9f8b6c5-x2k4p/api] lookup db.example on 10.0.0.10:53: no such host\n".utf8)
        for mode in [StreamAnalyzer.EnvelopeMode.perFile, .perLine] {
            var source = SyntheticSource(count: 1 << 30, fill: 0x61, tail: tail)
            let (s, error) = Analyzer().analyze(&source, source: SourceContext(path: "huge.log"), mode: mode)
            #expect(error == nil)
            #expect(s.totals.bytes == (1 << 30) + tail.count)
            #expect(s.totals.lines == 2)
            #expect(s.totals.overlongLines == 1)
            #expect(s.totals.failures == 1)
            #expect(s.totals.bucketTotal == s.totals.lines)
        }
        // Memory stays bounded: the whole process (all suites together) never held the line.
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #expect(usage.ru_maxrss < 768 * 1024, "peak resident set \(usage.ru_maxrss) KiB")
    }

    @Test func endlessPartialMessageIsBoundedByTheMessageLimit() {
        // 3000 CRI partial pieces of 1000 bytes never finished: 3 MB joined, kept to 1 MiB.
        let piece = "2026-11-20T10:00:00.000000001Z stdout P " + String(repeating: "x", count: 1000) + "\n"
        let text = String(repeating: piece, count: 3000) + "2026-11-20T10:00:00.000000002Z stdout F lookup a.example on 10.0.0.10:53: no such host\n"
        let s = analyze(text, path: "/var/log/pods/shop_api-7d9f8b6c5-x2k4p_0f0e/api/0.log")
        #expect(s.totals.lines == 3001)
        #expect(s.totals.continuationLines == 3000)
        #expect(s.totals.bucketTotal == s.totals.lines)
        // The end of the message was beyond the limit: dropped, so no failure is seen.
        #expect(s.totals.failures == 0)
    }

    @Test func aNewInstanceOnEveryLineIsBounded() {
        let n = StreamAnalyzer.detailedInstanceLimit + 10
        let text = (0..<n).map { "[pod/p\($0)/c] lookup db.example on 10.0.0.10:53: no such host\n" }.joined()
        let s = analyze(text, path: nil, mode: .perLine)
        // Each `p<N>` pod is its own service: the ten beyond the limit get a folded row each.
        #expect(s.instances.count == StreamAnalyzer.detailedInstanceLimit + 10)
        #expect(s.instances.values.filter { $0.foldedInstances == 1 }.count == 10)
        #expect(AuditReport(s).services.map(\.instanceCount).reduce(0, +) == n)
        #expect(s.totals.lines == n)
        #expect(s.totals.unattributedLines == 0)
        #expect(s.totals.failures == n)
        #expect(s.totals.bucketTotal == s.totals.lines)
    }

    @Test func aNewServiceOnEveryLineIsBoundedToo() {
        let n = StreamAnalyzer.detailedInstanceLimit + StreamAnalyzer.foldedServiceLimit + 50
        let text = (0..<n).map { "[pod/p\($0)/c] lookup db.example on 10.0.0.10:53: no such host\n" }.joined()
        let s = analyze(text, path: nil, mode: .perLine)
        #expect(s.instances.count == StreamAnalyzer.detailedInstanceLimit + StreamAnalyzer.foldedServiceLimit + 1)
        let shared = s.instances.values.first { $0.identity.service == InstanceSummary.foldedRowName }
        #expect(shared?.foldedInstances == 50)
        #expect(AuditReport(s).services.map(\.instanceCount).reduce(0, +) == n)
        #expect(s.totals.failures == n)
    }

    // MARK: Trees and special files

    static func temporaryDirectory() throws -> URL { try InputTestSupport.temporaryDirectory() }

    static let dnsLine = "lookup db.example on 10.0.0.10:53: no such host\n"

    @Test func symlinkLoopIsCutWithAMessage() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("a/b"), withIntermediateDirectories: true)
        try Data(Self.dnsLine.utf8).write(to: dir.appendingPathComponent("a/b/app.log"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("a/b/loop").path, withDestinationPath: "../..")
        let result = Analyzer().analyze([.path(dir.path)])
        #expect(result.summary.totals.files == 1)
        #expect(result.summary.totals.failures == 1)
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.description == "\(dir.path)/a/b/loop: symlink loop (links to a directory above it), skipped")
    }

    /// A directory symlink to a sibling (kubelet's `/var/log/containers` style of second path)
    /// is not a loop: the sibling's files are read once and nothing is reported.
    @Test func symlinkToASiblingDirectoryIsReadOnceWithoutAProblem() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("a"), withIntermediateDirectories: true)
        try Data(Self.dnsLine.utf8).write(to: dir.appendingPathComponent("a/app.log"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("b").path, withDestinationPath: "a")
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("0-first").path, withDestinationPath: "a")
        let result = Analyzer().analyze([.path(dir.path)])
        #expect(result.errors == [])
        #expect(result.summary.totals.files == 1)
        #expect(result.summary.totals.failures == 1)
        #expect(result.summary.totals.readErrors == 0)
    }

    /// Root reads files whatever their mode (the CI runs as root), so an unreadable file is
    /// made with `chmod 000` only for other users; a dangling symlink fails for everyone.
    @Test func unreadablePathsAreReportedAndTheRestIsRead() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.dnsLine.utf8).write(to: dir.appendingPathComponent("good.log"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("dangling.log").path, withDestinationPath: "nowhere.log")
        var expected = ["\(dir.path)/dangling.log: cannot open: No such file or directory"]
        if getuid() != 0 {
            let locked = dir.appendingPathComponent("locked.log")
            try Data(Self.dnsLine.utf8).write(to: locked)
            chmod(locked.path, 0)
            expected.append("\(locked.path): cannot open: Permission denied")
        }
        let result = Analyzer().analyze([.path(dir.path)])
        #expect(result.errors.map(\.description) == expected)
        #expect(result.summary.totals.failures == 1)
        #expect(result.summary.totals.readErrors == expected.count)
    }

    @Test func fileNameThatIsNotUTF8IsReportedAsSuch() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.dnsLine.utf8).write(to: dir.appendingPathComponent("good.log"))
        let raw = Array((dir.path + "/x").utf8) + [0xFF] + Array(".log".utf8) + [0]
        let fd = raw.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_WRONLY | O_CREAT, 0o600) }
        #expect(fd >= 0)
        close(fd)
        let result = Analyzer().analyze([.path(dir.path)])
        #expect(result.errors.map(\.description) == ["\(dir.path)/x\u{FFFD}.log: file name is not valid UTF-8, skipped"])
        #expect(result.summary.totals.failures == 1)
        // Clean up through the directory listing (the name cannot be spelled as a String).
        _ = raw.withUnsafeBufferPointer { unlink(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self)) }
    }

    @Test func fifoInATreeIsSkippedWithoutBlocking() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.dnsLine.utf8).write(to: dir.appendingPathComponent("app.log"))
        let fifo = dir.appendingPathComponent("pipe.log").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // No writer ever opens the pipe: opening it would block, so it must not be opened.
        let result = Analyzer().analyze([.path(dir.path)])
        #expect(result.errors.map(\.description) == ["\(fifo): not a regular file, skipped"])
        #expect(result.summary.totals.failures == 1)
    }

    @Test func namedFifoIsReadAsAStream() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let lines = String(repeating: Self.dnsLine, count: 500)
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            guard fd >= 0 else { return }
            _ = lines.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
            close(fd)
        }
        writer.start()
        let result = Analyzer().analyze([.path(fifo)])
        #expect(result.errors.isEmpty)
        #expect(result.summary.totals.lines == 500)
        #expect(result.summary.totals.failures == 500)
    }

    // MARK: Files changing under the reader

    /// A file source that runs `change` once, after its first read.
    struct ChangingSource: ByteSource {
        var file: FileDescriptorSource
        var change: (() -> Void)?

        mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
            // Small reads, so the change lands in the middle of the file.
            let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, 4096)]))
            if let c = change { change = nil; c() }
            return n
        }

        mutating func close() { file.close() }
    }

    /// A file cut short while read keeps the lines read before the cut and says so (exit 2).
    @Test func fileTruncatedWhileReadKeepsWhatWasReadAndSaysSo() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("shrinking.log").path
        let size = 10_000 * Self.dnsLine.utf8.count
        try Data(String(repeating: Self.dnsLine, count: 10_000).utf8).write(to: URL(fileURLWithPath: path))
        var source = ChangingSource(file: try FileDescriptorSource(path: path), change: { _ = truncate(path, 100) })
        let (s, error) = Analyzer().analyze(&source, source: SourceContext(path: path), mode: .perFile)
        source.close()
        #expect(error == .truncatedWhileRead(path: path, read: 4096, size: size))
        #expect(error?.description == "\(path): truncated while read: the file ended after 4096 of its \(size) bytes (rotated with copytruncate?); the report covers the part read")
        #expect(s.totals.readErrors == 1)
        #expect(s.totals.bytes == 4096)
        #expect(s.totals.lines == 4096 / Self.dnsLine.utf8.count + 1)
        #expect(s.totals.bucketTotal == s.totals.lines)
    }

    /// A range of a split file (read with pread, or through memory maps) that the file no
    /// longer reaches: the file was cut short after the cuts were made.
    @Test(arguments: [false, true])
    func rangeOfAFileCutShortEndsWithTheTruncation(memoryMap: Bool) throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("cut.log").path
        let size = 100 * Self.dnsLine.utf8.count
        try Data(String(repeating: Self.dnsLine, count: 100).utf8).write(to: URL(fileURLWithPath: path))
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var options = AnalyzerOptions(envelope: .plain)
        options.memoryMap = memoryMap
        let result = ParallelFileAnalyzer.analyzeRange(fd: fd, path: path, range: 0..<(size + 5000), options: options, seed: [])
        #expect(result.error == .truncatedWhileRead(path: path, read: size, size: size + 5000))
        #expect(result.summary.totals.failures == 100)
        #expect(result.summary.totals.readErrors == 1)
    }

    @Test func fileGrowingWhileReadIsReadToItsNewEnd() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("growing.log").path
        try Data(String(repeating: Self.dnsLine, count: 1000).utf8).write(to: URL(fileURLWithPath: path))
        var source = ChangingSource(file: try FileDescriptorSource(path: path), change: {
            let handle = FileHandle(forWritingAtPath: path)
            handle?.seekToEndOfFile()
            handle?.write(Data(String(repeating: Self.dnsLine, count: 100).utf8))
            try? handle?.close()
        })
        let (s, error) = Analyzer().analyze(&source, source: SourceContext(path: path), mode: .perFile)
        source.close()
        #expect(error == nil)
        #expect(s.totals.lines == 1100)
        #expect(s.totals.failures == 1100)
    }
}
