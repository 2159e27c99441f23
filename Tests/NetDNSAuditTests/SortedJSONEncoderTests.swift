import Foundation
import Testing
@testable import NetDNSAudit

/// ``SortedJSONEncoder`` writes what Foundation's `JSONEncoder` writes with the same options,
/// byte for byte: Foundation is the oracle here, pretty and on one line, for real reports and
/// for every byte a string can hold.
@Suite struct SortedJSONEncoderTests {
    static func foundation<T: Encodable>(_ value: T, pretty: Bool) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    static func expectSame<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for pretty in [true, false] {
            let ours = try SortedJSONEncoder(pretty: pretty).encode(value)
            let theirs = try foundation(value, pretty: pretty)
            #expect(ours == theirs, "pretty \(pretty): \(String(decoding: ours.prefix(300), as: UTF8.self)) vs \(String(decoding: theirs.prefix(300), as: UTF8.self))",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func sampleLogsReports() throws {
        let root = BuiltTool.repositoryRoot.appendingPathComponent("SampleLogs").path
        let report = AuditReport(Analyzer().analyze([.path(root)]).summary)
        #expect(report.services.count > 1)
        try Self.expectSame(WireDocument(report))
        try Self.expectSame(WireDocument(AuditReport(AuditSummary())))
        try Self.expectSame(WireDocument(HostileTextTests.report))
    }

    /// Every one-byte character, every escape, and non-ASCII text, in values and in keys
    /// (which sort by their UTF-8 bytes: `Z` < `a` < `é` < `😀`).
    @Test func everyCharacterAndKeyOrder() throws {
        let all = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self) + "é\u{9B}\u{202E}\u{2028}😀/\u{FFFD}"
        try Self.expectSame(all)
        try Self.expectSame([all, "", "\"\\", "a/b"])
        var keys: [String: Int] = [:]
        for (i, k) in ["b", "a", "Z", "é", "😀", "", "a\u{0}", "aa", "A", "\u{7F}", "\u{1F}", "10", "9", all].enumerated() { keys[k] = i - 3 }
        try Self.expectSame(keys)
        try Self.expectSame([String: Int]())
        try Self.expectSame([[String: Int](), ["x": 1]])
        try Self.expectSame([Int.min, 0, Int.max])
        try Self.expectSame(Nested(list: [], inner: [Nested.Inner(flag: true, name: nil, values: [:])], maybe: nil, big: UInt64.max, small: Int8.min))
        try Self.expectSame(Nested(list: ["x"], inner: [], maybe: Nested.Inner(flag: false, name: "n", values: ["k": 1]), big: 0, small: 0))
    }

    struct Nested: Encodable {
        struct Inner: Encodable {
            var flag: Bool
            var name: String?
            var values: [String: Int]
        }
        var list: [String]
        var inner: [Inner]
        var maybe: Inner?
        var big: UInt64
        var small: Int8
    }

    /// Values `JSONEncoder` writes in forms of its own are refused, not guessed.
    @Test func otherKindsAreRefused() {
        #expect(throws: EncodingError.self) { try SortedJSONEncoder(pretty: true).encode([1.5]) }
        #expect(throws: EncodingError.self) { try SortedJSONEncoder(pretty: false).encode(["d": Date(timeIntervalSince1970: 0)]) }
    }
}
