import Foundation
import Testing
@testable import NetDNSAudit

/// Both gzip decoders on the same fixtures: ISA-L (when this machine has it; `.ci/run` installs
/// libisal-dev) and zlib must give the same bytes, members, padding and damage reports. Where ISA-L
/// cannot be used, asking for it must fail with one clear reason.
@Suite struct GzipDecoderTests {
    typealias Support = InputTestSupport

    /// Compressed fixtures and their plain text.
    static func fixtures() throws -> [(name: String, gz: [UInt8], plain: [UInt8])] {
        let docker = "df0f5f90b9929fed30d48b8129350925f84b188b1f3cb87a2aa91106dc1c329b-json.log"
        var out: [(String, [UInt8], [UInt8])] = []
        for name in [docker, "shop-prefix.log"] {
            out.append((name, try Support.bytes(ofFile: Support.fixture(name + ".gz")), try Support.bytes(ofFile: Support.fixture(name))))
        }
        let parts = [Support.plainLines(1000, prefix: "first"), Support.plainLines(10, prefix: "second"), Support.plainLines(3000, prefix: "third")]
        out.append(("multi-member", Array(parts.map(Support.gzip).joined()) + [UInt8](repeating: 0, count: 700), Array(parts.joined())))
        return out
    }

    func decode(_ gz: [UInt8], _ decoder: GzipDecoder, chunk: Int = 333, bufferSize: Int = 4096) -> (bytes: [UInt8], error: InputError?, members: Int) {
        var source = GzipSource(InputMemorySource(gz, chunk: chunk), path: "x.gz", decoder: decoder)
        defer { source.close() }
        let (bytes, error) = source.readAll(bufferSize: bufferSize)
        return (bytes, error, source.membersDecoded)
    }

    @Test(arguments: GzipDecoder.allCases)
    func decodesEveryFixtureToItsText(_ decoder: GzipDecoder) throws {
        if decoder == .isal, let reason = GzipDecoder.isalUnavailableReason {
            // No ISA-L here: asking for it names the reason and yields nothing.
            let (bytes, error, _) = decode(Support.gzip(Support.plainLines(3)), .isal)
            #expect(bytes.isEmpty)
            guard case .corrupt(_, let message)? = error else { Issue.record("expected an error, got \(String(describing: error))"); return }
            #expect(message.contains(reason))
            return
        }
        for (name, gz, plain) in try Self.fixtures() {
            for (chunk, buffer) in [(1, 7), (333, 4096), (1 << 20, 1 << 20)] {
                let (bytes, error, members) = decode(gz, decoder, chunk: chunk, bufferSize: buffer)
                #expect(error == nil, "\(name) with \(decoder), reads of \(chunk), buffer \(buffer)")
                #expect(bytes == plain, "\(name) with \(decoder), reads of \(chunk)")
                #expect(members == (name == "multi-member" ? 3 : 1))
            }
        }
    }

    @Test(arguments: GzipDecoder.allCases)
    func damageIsReportedAfterTheBytesBeforeIt(_ decoder: GzipDecoder) {
        guard decoder == .zlib || GzipDecoder.isalUnavailableReason == nil else { return }
        let text = Support.plainLines(20000)
        let gz = Support.gzip(text)
        // Cut short: a prefix of the text, then "truncated".
        let (cutBytes, cutError, _) = decode(Array(gz[0..<(gz.count / 2)]), decoder, bufferSize: 65536)
        #expect(cutBytes.count > 0 && cutBytes.count < text.count)
        #expect(cutBytes == Array(text[0..<cutBytes.count]))
        guard case .corrupt(let path, let reason)? = cutError else { Issue.record("\(String(describing: cutError))"); return }
        #expect(path == "x.gz")
        #expect(reason.hasPrefix("truncated gzip stream"))
        // A flipped byte in the trailer's checksum: every byte, then "corrupt".
        var bad = gz
        bad[bad.count - 6] ^= 0xFF
        let (badBytes, badError, _) = decode(bad, decoder, bufferSize: 65536)
        #expect(badBytes == text)
        guard case .corrupt(_, let badReason)? = badError else { Issue.record("\(String(describing: badError))"); return }
        #expect(badReason.hasPrefix("corrupt gzip stream"))
    }

    @Test func bothDecodersGiveOneSummaryThroughTheAnalyzer() throws {
        guard GzipDecoder.isalUnavailableReason == nil else { return }
        let gz = try Support.bytes(ofFile: Support.fixture("shop-prefix.log.gz"))
        var summaries: [AuditSummary] = []
        for decoder in GzipDecoder.allCases {
            var source = GzipSource(InputMemorySource(gz, chunk: 4096), path: "shop.log.gz", decoder: decoder)
            summaries.append(Analyzer().analyze(&source, source: SourceContext(path: "shop.log.gz"), mode: .perFile).0)
        }
        #expect(summaries[0] == summaries[1])
        #expect(summaries[0].totals.lines == 111)
    }

    @Test func readAheadGivesTheBytesAndTheErrorInOrder() {
        let text = Support.plainLines(50000)
        let gz = Support.gzip(text)
        for payload in [gz, Array(gz[0..<(gz.count / 3)])] {
            var direct = GzipSource(InputMemorySource(payload, chunk: 5000), path: "x.gz", decoder: .zlib)
            let expected = direct.readAll(bufferSize: 10_000)
            direct.close()
            var ahead = ReadAheadSource(GzipSource(InputMemorySource(payload, chunk: 5000), path: "x.gz", decoder: .zlib))
            let got = ahead.readAll(bufferSize: 777)
            ahead.close()
            #expect(got.0 == expected.0)
            #expect(got.1 == expected.1)
        }
    }
}
