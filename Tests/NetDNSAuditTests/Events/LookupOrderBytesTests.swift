import Testing
@testable import NetDNSAudit

/// `LookupOrder.Kind(text:)` reads an order's bytes; these tests hold it to the `String`
/// reading it replaced (a `switch` over the text, then `hasPrefix`/`hasSuffix`).
@Suite struct LookupOrderBytesTests {
    /// The reading before: the text made a `String`, compared as `String`s compare.
    static func stringKind(_ text: String) -> LookupOrder.Kind? {
        switch text {
        case "cgo": return .cgo
        case "files": return .files
        case "dns": return .dns
        case "files,dns": return .filesThenDNS
        case "dns,files": return .dnsThenFiles
        default:
            if text.hasPrefix("hostLookupOrder="), text.hasSuffix("??") { return .unnamed }
            return nil
        }
    }

    static func read(_ bytes: [UInt8]) -> LookupOrder? { bytes.withUnsafeBytes { LookupOrder.read($0) } }

    @Test(arguments: ["cgo", "files", "dns", "files,dns", "dns,files", "hostLookupOrder=7??", "hostLookupOrder=??",
                      "hostLookupOrder=\u{301}7??", "hostLookupOrder=7??\u{301}", "hostLookupOrder=7?", "Cgo", "cgo ",
                      "dns,", "files,dn", "", "hostLookupOrder=", "hostlookuporder=7??", "c\u{301}go", "ｃｇｏ"])
    func knownTexts(text: String) {
        let order = Self.read(Array(text.utf8))
        #expect(order?.kind == Self.stringKind(text))
        #expect(order.map(\.rawValue) == (Self.stringKind(text) == nil ? nil : text))
        #expect(LookupOrder(rawValue: text).kind == Self.stringKind(text))
    }

    @Test func namedValuesAreTheConstants() {
        #expect(Self.read(Array("cgo".utf8)) == .cgo)
        #expect(Self.read(Array("files,dns".utf8)) == .filesThenDNS)
        #expect(LookupOrder.named.map(\.kind) == [.cgo, .files, .dns, .filesThenDNS, .dnsThenFiles])
        #expect(LookupOrder.named.map { $0.kind?.namedIndex } == [0, 1, 2, 3, 4])
        #expect(LookupOrder(rawValue: "hostLookupOrder=3??").kind?.namedIndex == nil)
    }

    /// Texts made of an order's own bytes, cut, doubled and mixed with other bytes (invalid
    /// UTF-8 and combining marks among them).
    @Test func generatedTexts() {
        var random = SplitMix64(seed: 16)
        let pieces: [[UInt8]] = ["cgo", "files", "dns", ",", "hostLookupOrder=", "??", "?", "7", " ", "="].map { Array($0.utf8) }
            + [[0xFF], [0xCC, 0x81], [0xE2, 0x82], [0x80], [0xEF, 0xBD, 0x83]]
        var kinds = 0
        for _ in 0..<20_000 {
            var text: [UInt8] = []
            for _ in 0..<random.below(5) { text += pieces[random.below(pieces.count)] }
            let string = String(decoding: text, as: UTF8.self)
            let want = Self.stringKind(string)
            let order = Self.read(text)
            #expect(order?.kind == want, "\(text)")
            if want != nil {
                kinds += 1
                #expect(order?.rawValue == string)
            }
        }
        #expect(kinds == 884)   // how many of the seeded texts are orders
    }

    /// `GoTraceParser.splitNameAndOrder` (the first space, then the bytes around it) against the
    /// search for `) = ` it replaced, on texts made of an order line's pieces.
    @Test func nameAndOrderSplitAsBySearching() {
        func searched(_ rest: UnsafeRawBufferPointer) -> (Int, LookupOrder)? {
            guard let close = rest.firstRange(of: ") = ") else { return nil }
            if rest.slice(0, close).firstIndex(ofByte: ASCII.space) != nil { return nil }
            guard let order = LookupOrder.read(rest.slice(close + 4, rest.count)) else { return nil }
            return (close, order)
        }
        var random = SplitMix64(seed: 32)
        let pieces: [[UInt8]] = ["a.example", ")", " = ", " ", "=", ") = ", "cgo", "files,dns", "dns", ")=", "(", "x y", "\t"]
            .map { Array($0.utf8) }
        var split = 0
        for _ in 0..<30_000 {
            var text: [UInt8] = []
            for _ in 0..<random.below(6) { text += pieces[random.below(pieces.count)] }
            text.withUnsafeBytes { rest in
                let want = searched(rest)
                let got = GoTraceParser.splitNameAndOrder(rest)
                #expect(got?.0 == want?.0 && got?.1 == want?.1, "\(text)")
                if want != nil { split += 1 }
            }
        }
        #expect(split == 203)   // how many of the seeded texts split
    }

    @Test func utf8OrderIsByteOrder() {
        var random = SplitMix64(seed: 7)
        let alphabet: [String] = ["a", "b", "A", "é", "e\u{301}", "\u{10FFFF}", "-", ".", "z", "ß", "😀"]
        for _ in 0..<5_000 {
            let a = (0..<random.below(6)).map { _ in alphabet[random.below(alphabet.count)] }.joined()
            let b = (0..<random.below(6)).map { _ in alphabet[random.below(alphabet.count)] }.joined()
            #expect(UTF8Order.precedes(a, b) == a.utf8.lexicographicallyPrecedes(b.utf8))
        }
        #expect(UTF8Order.precedes("", "a"))
        #expect(!UTF8Order.precedes("a", "a"))
        #expect(UTF8Order.precedes("ab", "abc"))
        #expect(UTF8Order.precedes("Z", "a"))
    }
}
