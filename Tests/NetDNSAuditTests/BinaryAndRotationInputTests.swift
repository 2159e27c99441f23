import Foundation
import Testing
@testable import NetDNSAudit

@Suite struct BinaryAndRotationInputTests {
    typealias Support = InputTestSupport

    /// An ELF header followed by NUL-heavy pseudo-random bytes, like an executable.
    static func elfLikeBytes(_ count: Int) -> [UInt8] {
        var bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0]
        var state: UInt32 = 12345
        while bytes.count < count {
            state = state &* 1_103_515_245 &+ 12345
            let byte = UInt8(truncatingIfNeeded: state >> 16)
            bytes.append(byte < 96 ? 0 : byte)
        }
        return bytes
    }

    @Test func garbageLogWithNulsInItsFirstBlockIsText() throws {
        // The first 8 KiB of the corpus garbage file: 5 NUL bytes at offset 1205 and invalid UTF-8.
        let block = try Support.bytes(ofFile: Support.fixture("garbage-first-8k.log"))
        #expect(block.count == 8192)
        #expect(block.filter { $0 == 0 }.count == 5)
        #expect(InputContent.classify(block) == .text)
    }

    @Test func classification() {
        #expect(InputContent.classify(Self.elfLikeBytes(9000)) == .binary)
        #expect(InputContent.classify(Array("no newline here\0 at all".utf8)) == .binary)
        #expect(InputContent.classify(Support.plainLines(300)) == .text)
        #expect(InputContent.classify(Array("\u{1B}[31mred\u{1B}[0m\tline\r\n".utf8)) == .text)
        #expect(InputContent.classify([]) == .text)
        var tar = Support.TarBuilder()
        tar.add("a.log", Support.plainLines(2))
        #expect(InputContent.classify(tar.archive) == .tarArchive)
        #expect(InputContent.isGzip(Support.gzip(Support.plainLines(2))))
    }

    @Test func binaryFilesAreSkippedListedAndNotErrors() throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Support.write(Self.elfLikeBytes(50000), to: directory.appendingPathComponent("app-binary"))
        try Support.write(Support.gzip(Self.elfLikeBytes(50000)), to: directory.appendingPathComponent("core.gz"))
        try Support.write(Support.plainLines(8), to: directory.appendingPathComponent("app.log"))
        let named = directory.appendingPathComponent("named-binary")
        try Support.write(Self.elfLikeBytes(100), to: named)

        let result = Analyzer().analyze([.path(directory.path), .path(named.path)])
        #expect(result.errors.isEmpty)
        #expect(result.summary.totals.readErrors == 0)
        #expect(result.summary.totals.files == 1)
        #expect(result.summary.totals.lines == 8)
        #expect(result.summary.totals.binaryFilesSkipped == [
            directory.appendingPathComponent("app-binary").path,
            directory.appendingPathComponent("core.gz").path,
            named.path,
        ].sorted())
    }

    @Test func kubeletRotatedLogsComeBeforeTheLiveLogOldestFirst() {
        let names = ["1.log", "0.log", "0.log.20261120-110000.gz", "0.log.20261120-100000", "0.log.20261119-235959.gz",
                     "a.txt", "0.log.tmp", "0.log.2026-bad"]
        #expect(InputWalker.readingOrder(names) == [
            "0.log.20261119-235959.gz", "0.log.20261120-100000", "0.log.20261120-110000.gz", "0.log",
            "0.log.2026-bad", "0.log.tmp", "1.log", "a.txt",
        ])
    }

    @Test func walkerReadsRotatedFilesInTimeOrder() throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let container = directory.appendingPathComponent("var/log/pods/ns_pod-abc12_uid/app")
        try Support.write(Support.plainLines(1), to: container.appendingPathComponent("0.log"))
        try Support.write(Support.gzip(Support.plainLines(1)), to: container.appendingPathComponent("0.log.20261120-100000.gz"))
        try Support.write(Support.plainLines(1), to: container.appendingPathComponent("0.log.20261120-110000"))
        try Support.write(Support.plainLines(1), to: directory.appendingPathComponent("var/zz.log"))

        let files = InputWalker().expand([directory.path]).compactMap { item -> String? in
            if case .file(let path) = item { return String(path.dropFirst(directory.path.count + 1)) }
            return nil
        }
        #expect(files == [
            "var/log/pods/ns_pod-abc12_uid/app/0.log.20261120-100000.gz",
            "var/log/pods/ns_pod-abc12_uid/app/0.log.20261120-110000",
            "var/log/pods/ns_pod-abc12_uid/app/0.log",
            "var/zz.log",
        ])
        let result = Analyzer().analyze([.path(directory.path)])
        #expect(result.errors.isEmpty)
        #expect(result.summary.totals.files == 4)
        #expect(result.summary.totals.lines == 4)
    }
}
