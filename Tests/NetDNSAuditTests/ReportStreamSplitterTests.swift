import Foundation
import Testing
import NetDNSAudit

@Suite struct ReportStreamSplitterTests {
    /// The documents in `text`, fed `chunk` bytes at a time.
    func split(_ text: String, chunk: Int = 3) throws -> [String] {
        var splitter = ReportStreamSplitter()
        var out: [String] = []
        let bytes = Array(text.utf8)
        var at = 0
        while at < bytes.count {
            let end = min(at + chunk, bytes.count)
            let part = Array(bytes[at..<end])
            try part.withUnsafeBytes { try splitter.feed($0) { out.append(String(decoding: $0, as: UTF8.self)) } }
            at = end
        }
        try splitter.finish()
        return out
    }

    @Test func bracesAndQuotesInsideStringsDoNotEndADocument() throws {
        let docs = try split(#"{"a":"}{\"]","b":[{"c":"\\"}]}"# + "\n" + #"{"d":1}"# + "\t\n")
        #expect(docs == [#"{"a":"}{\"]","b":[{"c":"\\"}]}"#, #"{"d":1}"#])
    }

    @Test func prettyDocumentsConcatenatedAndAByteOrderMark() throws {
        #expect(try split("\u{FEFF}{\n  \"a\" : {}\n}\n{ }", chunk: 1) == ["{\n  \"a\" : {}\n}", "{ }"])
    }

    @Test func junkAndTruncationAreErrors() {
        #expect(throws: ReportStreamError.unexpectedByte(0x5B, offset: 9)) { try split("{\"a\":1} [1]") }
        #expect(throws: ReportStreamError.truncated(offset: 6)) { try split("{\"a\":1") }
        #expect(throws: ReportStreamError.truncated(offset: 7)) { try split("{\"a\":\"}") }
    }
}
