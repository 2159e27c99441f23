import Foundation
import Testing
@testable import NetDNSAudit

/// Every input line ends in exactly one bucket of ``InputTotals`` (``InputTotals/bucketTotal``
/// equals ``InputTotals/lines``), on every fixture, in every envelope mode, and on the paths
/// where messages are joined, held back, decompressed, archived or skipped.
@Suite struct LineAccountingTests {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repositoryRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    /// Every file under the corpus fixtures and SampleLogs (logs, gzip, JSON configs alike).
    static var everyFixtureFile: [String] {
        var files: [String] = []
        for root in [testsDirectory.appendingPathComponent("Fixtures/corpus"), repositoryRoot.appendingPathComponent("SampleLogs")] {
            let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
            while let url = walker?.nextObject() as? URL {
                if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { files.append(url.path) }
            }
        }
        return files.sorted()
    }

    static func expectBalanced(_ totals: InputTotals, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(totals.bucketTotal == totals.lines, "\(what): buckets \(totals.bucketTotal), lines \(totals.lines)", sourceLocation: sourceLocation)
    }

    @Test func fixtureListIsComplete() {
        let files = Self.everyFixtureFile
        #expect(files.count >= 50)
        #expect(files.contains { $0.hasSuffix("corpus/garbage/billing-prefix-timestamps-with-garbage.log.gz") })
        #expect(files.contains { $0.hasSuffix(".gz") })
    }

    @Test(arguments: everyFixtureFile)
    func everyFixtureBalancesInEveryMode(_ path: String) throws {
        let name = path.replacingOccurrences(of: Self.repositoryRoot.path + "/", with: "")
        // As a file: content dispatch (gzip, tar, binary, text) and per-file envelope detection.
        let (asFile, errors) = Analyzer().analyzeInput(.path(path))
        #expect(errors.isEmpty, "\(name): \(errors)")
        #expect(asFile.totals.lines > 0, "\(name) has lines")
        Self.expectBalanced(asFile.totals, "\(name) as a file")
        // As standard input would be read: envelope decided line by line.
        let (perLine, _) = Analyzer().analyzeContent(of: try FileDescriptorSource(path: path), source: SourceContext(path: nil), mode: .perLine)
        Self.expectBalanced(perLine.totals, "\(name) per line")
        #expect(perLine.totals.lines == asFile.totals.lines)
        // Every envelope forced, and a small line limit that makes some lines over-long.
        for kind in EnvelopeKind.allCases {
            let (forced, _) = Analyzer(options: AnalyzerOptions(envelope: kind, maxLineBytes: 1024)).analyzeInput(.path(path))
            Self.expectBalanced(forced.totals, "\(name) with --envelope \(kind.rawValue)")
            #expect(forced.totals.lines == asFile.totals.lines)
        }
    }

    @Test func wholeTreesBalance() {
        for root in [Self.testsDirectory.appendingPathComponent("Fixtures").path, Self.repositoryRoot.appendingPathComponent("SampleLogs").path] {
            let result = Analyzer().analyze([.path(root)])
            #expect(result.errors.isEmpty)
            Self.expectBalanced(result.summary.totals, root)
            #expect(result.summary.totals.lines > 400)
        }
    }

    // MARK: Messages held back to the end (regression: they were counted twice)

    @Test func criPartialPiecesWithoutTheirFullPieceBalance() {
        let text = [
            "2026-11-20T10:00:00.000000001Z stdout P lookup api.example on 10.0.0.10:53: ",
            "2026-11-20T10:00:00.000000002Z stdout P no such host",
            "2026-11-20T10:00:00.000000003Z stderr F an ordinary line",
            "2026-11-20T10:00:00.000000004Z stderr P half a line",
        ].map { $0 + "\n" }.joined()
        let s = analyze(text, path: "/var/log/pods/shop_api-7d9f8b6c5-x2k4p_0f0e/api/0.log")
        #expect(s.totals.lines == 4)
        #expect(s.totals.continuationLines == 1)
        #expect(s.totals.failureLines == 1)
        #expect(s.totals.failures == 1)
        #expect(s.totals.ordinaryLines == 2)
        Self.expectBalanced(s.totals, "CRI")
    }

    @Test func dockerPartialPiecesWithoutTheirEndBalance() {
        let text = [
            #"{"log":"lookup api.example on 10.0.0.10:53: ","stream":"stdout","time":"2026-11-20T10:00:00.1Z"}"#,
            #"{"log":"no such host","stream":"stdout","time":"2026-11-20T10:00:00.2Z"}"#,
        ].map { $0 + "\n" }.joined()
        for mode in [StreamAnalyzer.EnvelopeMode.perFile, .perLine, .forced(.docker)] {
            let s = analyze(text, path: "c-json.log", mode: mode)
            #expect(s.totals.lines == 2)
            #expect(s.totals.continuationLines == 1)
            #expect(s.totals.failureLines == 1)
            Self.expectBalanced(s.totals, "Docker \(mode)")
        }
    }

    @Test func perLineStreamSwitchingEnvelopesWithHeldBackPiecesBalances() {
        // Standard input: a CRI piece left open, then kubectl lines, then a Docker piece left open.
        let text = """
        2026-11-20T10:00:00.000000001Z stdout P open piece
        [pod/api-7d9f8b6c5-x2k4p/api] go package net: hostLookupOrder(a.example) = cgo
        {"log":"another open piece","stream":"stderr","time":"2026-11-20T10:00:00.2Z"}
        not enveloped at all

        """
        let s = analyze(text, path: nil, mode: .perLine)
        #expect(s.totals.lines == 4)
        #expect(s.totals.continuationLines == 0)
        #expect(s.totals.recognisedTraceLines == 1)
        #expect(s.totals.unattributedLines == 1)
        Self.expectBalanced(s.totals, "per-line mix")
    }

    // MARK: Compressed, archived, damaged and binary input

    @Test func truncatedGzipBalances() throws {
        let whole = InputTestSupport.gzip(InputTestSupport.plainLines(5000))
        let dir = try InputTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("cut.log.gz")
        try InputTestSupport.write(Array(whole.prefix(whole.count / 2)), to: file)
        let (s, errors) = Analyzer().analyzeInput(.path(file.path))
        #expect(errors.count == 1)
        #expect(s.totals.lines > 0 && s.totals.lines < 5000)
        Self.expectBalanced(s.totals, "truncated gzip")
    }

    @Test func truncatedTarBalances() throws {
        var tar = InputTestSupport.TarBuilder()
        tar.add("a.log", InputTestSupport.plainLines(100))
        tar.add("b.log", InputTestSupport.plainLines(100))
        let bytes = Array(tar.archive.prefix(512 + 4000))
        let (s, errors) = Analyzer().analyzeContent(of: InputMemorySource(bytes, chunk: 700), source: SourceContext(path: "cut.tar"), mode: .perFile)
        #expect(errors.count == 1)
        #expect(s.totals.lines > 0)
        Self.expectBalanced(s.totals, "truncated tar")
    }

    /// Binary files are skipped without being read: their lines are not counted at all, so
    /// `lines` and `binaryLines` both leave them out (the file is listed in `binaryFilesSkipped`).
    @Test func binaryFilesAreNotCounted() {
        let bytes = BinaryAndRotationInputTests.elfLikeBytes(20_000)
        let (s, errors) = Analyzer().analyzeContent(of: InputMemorySource(bytes), source: SourceContext(path: "a.out"), mode: .perFile)
        #expect(errors.isEmpty)
        #expect(s.totals.binaryFilesSkipped == ["a.out"])
        #expect(s.totals.lines == 0)
        #expect(s.totals.binaryLines == 0)
        Self.expectBalanced(s.totals, "binary")
    }
}
