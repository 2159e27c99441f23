import Foundation
import Testing
@testable import NetDNSAudit

/// Every input through every reading path, demanding one summary: a file read in one job, in
/// split ranges (read(2) and memory maps), one line per read, one byte per read, and followed as
/// `watch` follows it (random pieces, snapshots in between). As ripgrep's searcher tester does:
/// a path that cuts, joins or decodes a line differently shows up here.
@Suite struct EveryPathTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The text files of SampleLogs and of the corpus fixtures.
    static var inputs: [String] {
        var paths: [String] = []
        for dir in ["SampleLogs", "Tests/NetDNSAuditTests/Fixtures/corpus"] {
            let base = root.appendingPathComponent(dir)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                guard !url.path.hasSuffix(".gz"), !url.path.hasSuffix(".tar"), !url.path.hasSuffix(".json") || url.path.hasSuffix("-json.log") else { continue }
                paths.append(url.path)
            }
        }
        return paths.sorted()
    }

    /// A source that returns at most one line (or `chunk` bytes) per read, as a pipe written
    /// line by line does.
    struct PacedSource: ByteSource {
        let bytes: [UInt8]
        var offset = 0
        let chunk: Int
        let lineAtATime: Bool
        mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
            guard offset < bytes.count else { return 0 }
            var n = min(buffer.count, bytes.count - offset, chunk)
            if lineAtATime, let nl = bytes[offset..<offset + n].firstIndex(of: 0x0A) { n = nl - offset + 1 }
            bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            offset += n
            return n
        }
        mutating func close() {}
    }

    /// The options of a run with `jobs` (and the line limit of `base`).
    static func options(_ base: AnalyzerOptions, jobs: Int, memoryMap: Bool = false) -> AnalyzerOptions {
        var options = base
        options.jobs = jobs
        options.memoryMap = memoryMap
        return options
    }

    func reference(_ path: String, _ base: AnalyzerOptions = AnalyzerOptions()) -> AuditSummary {
        Analyzer(options: Self.options(base, jobs: 1)).analyzeInput(.path(path)).0
    }

    func paced(_ path: String, _ data: [UInt8], chunk: Int, lineAtATime: Bool, _ base: AnalyzerOptions = AnalyzerOptions()) -> AuditSummary {
        var source = PacedSource(bytes: data, chunk: chunk, lineAtATime: lineAtATime)
        return Analyzer(options: Self.options(base, jobs: 1)).analyze(&source, source: SourceContext(path: path), mode: .perFile).0
    }

    func followed(_ path: String, _ data: [UInt8], seed: UInt64, _ base: AnalyzerOptions = AnalyzerOptions()) -> AuditSummary {
        var random = SplitMix64(seed: seed)
        let stream = LiveStream(source: SourceContext(path: path), mode: .perFile, options: Self.options(base, jobs: 1))
        var at = 0
        var pieces = 0
        while at < data.count {
            let n = min(data.count - at, 1 + random.below(random.below(4) == 0 ? 64 : 8192))
            data[at..<at + n].withUnsafeBytes { stream.feed($0) }
            at += n
            pieces += 1
            if pieces % 7 == 0 { _ = stream.snapshot() }
        }
        return stream.finish()
    }

    func split(_ path: String, size: Int, parts: Int, memoryMap: Bool, _ base: AnalyzerOptions = AnalyzerOptions()) -> AuditSummary {
        let analyzer = Analyzer(options: Self.options(base, jobs: parts, memoryMap: memoryMap))
        return ParallelFileAnalyzer(analyzer: analyzer).analyzeSplit(path, size: size, parts: parts).0
    }

    /// Every path gives the summary of the one-job run of `path`, which it returns.
    @discardableResult
    func checkEveryPath(_ path: String, _ base: AnalyzerOptions = AnalyzerOptions()) throws -> AuditSummary {
        let data = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let expected = reference(path, base)
        #expect(expected.totals.lines > 0, "\(path) has lines")
        #expect(paced(path, data, chunk: 1 << 20, lineAtATime: true, base) == expected, "one line per read: \(path)")
        if data.count <= 64 << 10 {
            #expect(paced(path, data, chunk: 1, lineAtATime: false, base) == expected, "one byte per read: \(path)")
        } else {
            #expect(paced(path, data, chunk: 7, lineAtATime: false, base) == expected, "seven bytes per read: \(path)")
        }
        #expect(followed(path, data, seed: UInt64(data.count), base) == expected, "followed: \(path)")
        for parts in [2, 3] {
            for memoryMap in [false, true] {
                #expect(split(path, size: data.count, parts: parts, memoryMap: memoryMap, base) == expected,
                        "\(parts) ranges, memory maps \(memoryMap): \(path)")
            }
        }
        return expected
    }

    @Test(arguments: inputs)
    func everyPathGivesOneSummary(_ path: String) throws {
        try checkEveryPath(path)
    }
}
