import Foundation
import Testing
@testable import NetDNSAudit

@Suite struct CompressedInputTests {
    typealias Support = InputTestSupport

    /// The instances with the file names taken out, so that the same lines read from two
    /// files compare equal.
    static func withoutFileNames(_ summary: AuditSummary) -> [InstanceIdentity: InstanceSummary] {
        summary.instances.mapValues { instance in
            var copy = instance
            copy.files = []
            copy.cgoEvidence?.file = ""
            copy.goEvidence?.file = ""
            return copy
        }
    }

    @Test func gzipFixtureGivesTheSameSummaryAsThePlainFile() {
        let analyzer = Analyzer()
        let (plain, plainErrors) = analyzer.analyzeInput(.path(Support.fixture("shop-prefix.log")))
        let (gz, gzErrors) = analyzer.analyzeInput(.path(Support.fixture("shop-prefix.log.gz")))
        #expect(plainErrors.isEmpty)
        #expect(gzErrors.isEmpty)
        #expect(gz.totals == plain.totals)
        #expect(gz.totals.bytes == 22158)
        #expect(gz.totals.files == 1)
        #expect(gz.instances.count == 7)
        #expect(Self.withoutFileNames(gz) == Self.withoutFileNames(plain))
        #expect(gz.instances.values.allSatisfy { $0.files == [Support.fixture("shop-prefix.log.gz")] })
    }

    @Test func gzipFixtureMatchesTheGroundTruth() throws {
        let truthData = try Data(contentsOf: URL(fileURLWithPath: Support.fixture("gz__shop-prefix.log.json")))
        let truth = try #require(try JSONSerialization.jsonObject(with: truthData) as? [String: Any])
        let services = try #require(truth["services"] as? [String: [String: Any]])
        let (summary, errors) = Analyzer().analyzeInput(.path(Support.fixture("shop-prefix.log.gz")))
        #expect(errors.isEmpty)
        let classMap: [String: FailureClass] = [
            "no_such_host": .nxdomain, "server_misbehaving": .servfail, "timeout": .timeout,
            "connection_refused": .refused, "glibc_eai_again": .temporary, "musl_eai_again": .temporary,
            "glibc_eai_noname": .nxdomain, "musl_eai_noname": .nxdomain,
        ]
        var truthInstances = 0
        for (service, body) in services {
            let instances = try #require(body["instances"] as? [String: [String: Any]])
            for (name, fields) in instances {
                truthInstances += 1
                let found = summary.instances.values.filter { $0.identity.name == name }
                try #require(found.count == 1, "instance \(name)")
                let instance = found[0]
                #expect(instance.identity.service == service)
                var expected = Tally<FailureClass>()
                for (observed, count) in fields["failures_by_observed_class"] as? [String: Int] ?? [:] {
                    expected.add(try #require(classMap[observed], "class \(observed)"), count)
                }
                #expect(instance.failures.byClass == expected, "instance \(name)")
                #expect(instance.failures.total == fields["failures_total"] as? Int, "instance \(name)")
            }
        }
        #expect(truthInstances == 7)
        #expect(summary.instances.count == truthInstances)
    }

    @Test func dockerGzipFixtureDecompressesToTheDockerFile() throws {
        let name = "df0f5f90b9929fed30d48b8129350925f84b188b1f3cb87a2aa91106dc1c329b-json.log"
        let expected = try Support.bytes(ofFile: Support.fixture(name))
        var source = GzipSource(try FileDescriptorSource(path: Support.fixture(name + ".gz")), path: name + ".gz")
        defer { source.close() }
        let (bytes, error) = source.readAll()
        #expect(error == nil)
        #expect(bytes.count == 1985)
        #expect(bytes == expected)
        #expect(source.membersDecoded == 1)
    }

    @Test func gzipOnStandardInputIsRecognisedByItsMagic() throws {
        let plain = try Support.bytes(ofFile: Support.fixture("shop-prefix.log"))
        let gz = try Support.bytes(ofFile: Support.fixture("shop-prefix.log.gz"))
        let analyzer = Analyzer()
        let stdin = SourceContext(path: nil)
        let (fromPlain, plainErrors) = analyzer.analyzeContent(of: InputMemorySource(plain, chunk: 777), source: stdin, mode: .perLine)
        let (fromGzip, gzErrors) = analyzer.analyzeContent(of: InputMemorySource(gz, chunk: 1), source: stdin, mode: .perLine)
        #expect(plainErrors.isEmpty && gzErrors.isEmpty)
        #expect(fromGzip == fromPlain)
        #expect(fromGzip.totals.lines == 111)
        #expect(fromGzip.instances.count == 7)
    }

    @Test func multiMemberGzipDecodesEveryMember() {
        let parts = [Support.plainLines(1000, prefix: "first"), Support.plainLines(10, prefix: "second"), Support.plainLines(3000, prefix: "third")]
        let gz = parts.map(Support.gzip).joined()
        var source = GzipSource(InputMemorySource(Array(gz), chunk: 333), path: "multi.gz")
        let (bytes, error) = source.readAll(bufferSize: 4096)
        #expect(error == nil)
        #expect(bytes == Array(parts.joined()))
        #expect(source.membersDecoded == 3)

        let (summary, errors) = Analyzer().analyzeContent(
            of: InputMemorySource(Array(gz)), source: SourceContext(path: "multi.log.gz"), mode: .perFile)
        #expect(errors.isEmpty)
        #expect(summary.totals.lines == 4010)
        #expect(summary.totals.bytes == parts.map(\.count).reduce(0, +))
    }

    @Test func nulPaddingAfterTheLastMemberIsIgnored() {
        let text = Support.plainLines(5)
        var source = GzipSource(InputMemorySource(Support.gzip(text) + [UInt8](repeating: 0, count: 700)), path: "padded.gz")
        let (bytes, error) = source.readAll()
        #expect(error == nil)
        #expect(bytes == text)
    }

    @Test func truncatedGzipKeepsTheLinesBeforeTheCutAndNamesTheFile() throws {
        let text = Support.plainLines(20000)
        let gz = Support.gzip(text)
        let cut = Array(gz[0..<(gz.count / 2)])

        // What the decoder yields before the cut: a prefix of the text, then the error.
        var decoder = GzipSource(InputMemorySource(cut), path: "cut.log.gz")
        let (decoded, decodeError) = decoder.readAll(bufferSize: 65536)
        #expect(decoded.count > 0 && decoded.count < text.count)
        #expect(decoded == Array(text[0..<decoded.count]))
        guard case .corrupt(let path, let reason)? = decodeError else {
            Issue.record("expected a corrupt error, got \(String(describing: decodeError))")
            return
        }
        #expect(path == "cut.log.gz")
        #expect(reason.hasPrefix("truncated gzip stream"))

        // Through the analyzer: those lines are counted (the cut last line too), the file is
        // reported once, and the next input is still read.
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cutFile = directory.appendingPathComponent("cut.log.gz")
        let nextFile = directory.appendingPathComponent("next.log")
        try Support.write(cut, to: cutFile)
        try Support.write(Support.plainLines(7), to: nextFile)
        let result = Analyzer().analyze([.path(cutFile.path), .path(nextFile.path)])
        let newlines = decoded.filter { $0 == 0x0A }.count
        let partial = decoded.last == 0x0A ? 0 : 1
        #expect(result.summary.totals.lines == newlines + partial + 7)
        #expect(result.summary.totals.bytes == decoded.count + Support.plainLines(7).count)
        #expect(result.summary.totals.readErrors == 1)
        #expect(result.summary.totals.files == 2)
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.path == cutFile.path)
        #expect(result.errors.first?.description.contains("truncated gzip stream") == true)
    }

    @Test func corruptGzipDataIsReported() {
        var gz = Support.gzip(Support.plainLines(5000))
        for i in (gz.count / 2)..<(gz.count / 2 + 64) { gz[i] ^= 0x5A }
        let (summary, errors) = Analyzer().analyzeContent(
            of: InputMemorySource(gz), source: SourceContext(path: "bad.gz"), mode: .perFile)
        #expect(errors.count == 1)
        #expect(errors.first?.path == "bad.gz")
        #expect(errors.first?.description.contains("gzip stream") == true)
        #expect(summary.totals.readErrors == 1)
        // Damaged deflate data may still decode to some (wrong) bytes before zlib notices;
        // what was decoded is analysed.
        #expect(summary.totals.lines > 0)
    }

    @Test func aPlainFileNamedGzIsReadAsText() {
        let text = Support.plainLines(12)
        let (summary, errors) = Analyzer().analyzeContent(
            of: InputMemorySource(text), source: SourceContext(path: "not-really.log.gz"), mode: .perFile)
        #expect(errors.isEmpty)
        #expect(summary.totals.lines == 12)
    }

    @Test func anEmptyInputIsAnEmptyTextFile() {
        let (summary, errors) = Analyzer().analyzeContent(
            of: InputMemorySource([]), source: SourceContext(path: "empty.log"), mode: .perFile)
        #expect(errors.isEmpty)
        #expect(summary.totals.lines == 0)
        #expect(summary.totals.files == 1)
        #expect(summary.totals.binaryFilesSkipped.isEmpty)
    }
}
