import Foundation
import Testing
@testable import NetDNSAudit

/// ``WireJSONWriter`` writes the bytes Foundation's `JSONEncoder` writes with the report's
/// options (the frozen reports and expected outputs hold them for whole reports; here
/// `JSONEncoder` is the oracle for strings, lists and tallies, pretty and on one line).
@Suite struct WireJSONWriterTests {
    static func foundation<T: Encodable>(_ value: T, pretty: Bool) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    static func ours(pretty: Bool, _ body: (inout WireJSONWriter) -> Void) -> [UInt8] {
        var json = WireJSONWriter(pretty: pretty)
        body(&json)
        return json.bytes
    }

    /// Every ASCII byte, the escapes, non-ASCII text and the characters other encoders escape
    /// (`/`, DEL, U+2028): as strings, in lists and as tally keys (sorted by their UTF-8 bytes:
    /// `Z` < `a` < `é` < `😀`).
    static let texts = [
        String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self), "", "\"\\", "a/b", "é\u{9B}\u{202E}\u{2028}😀\u{FFFD}",
        "b", "a", "Z", "é", "😀", "a\u{0}", "aa", "A", "\u{7F}", "\u{1F}", "10", "9",
    ]

    @Test func stringsListsAndTalliesAsJSONEncoder() throws {
        for pretty in [true, false] {
            for text in Self.texts {
                #expect(Self.ours(pretty: pretty) { $0.value(text) } == (try Self.foundation(text, pretty: pretty)))
            }
            #expect(Self.ours(pretty: pretty) { $0.value(Self.texts) } == (try Self.foundation(Self.texts, pretty: pretty)))
            #expect(Self.ours(pretty: pretty) { $0.value([String]()) } == (try Self.foundation([String](), pretty: pretty)))
            var tally: [String: Int] = [:]
            for (i, k) in Self.texts.enumerated() { tally[k] = i * 1_000_003 - 7 }
            tally["min"] = Int.min
            tally["max"] = Int.max
            #expect(Self.ours(pretty: pretty) { $0.value(tally) } == (try Self.foundation(tally, pretty: pretty)))
            #expect(Self.ours(pretty: pretty) { $0.value([String: Int]()) } == (try Self.foundation([String: Int](), pretty: pretty)))
        }
    }

    /// A report whose every optional key is present and whose strings are hostile reads back
    /// to the same report, and its objects' keys are in order (checked as they are written).
    @Test func hostileReportRoundTrips() throws {
        let report = HostileTextTests.report
        for oneLine in [false, true] {
            let data = try report.jsonData(oneLine: oneLine)
            #expect(try AuditReport.decode(data).jsonData(oneLine: oneLine) == data)
        }
    }
}
