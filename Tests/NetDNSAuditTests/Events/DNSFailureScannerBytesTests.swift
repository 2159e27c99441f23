import Testing
@testable import NetDNSAudit

/// The byte-level shortcuts of ``DNSFailureScanner``: the 16-at-a-time name scan against
/// the byte-at-a-time rule, at every offset and buffer end, and a search started where the
/// triage's cursor says the first `lookup ` is.
@Suite struct DNSFailureScannerBytesTests {
    /// Bytes a name is made of, and every kind of byte that stops or breaks one.
    static let alphabet: [UInt8] = Array("ab.-_09".utf8) + [0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x21, 0x22, 0x3A, 0x3B, 0x5B,
                                                             0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0xA0, 0xC3, 0xFF]

    @Test func skippingNameBytesSixteenAtATimeStopsWhereTheByteRuleStops() {
        var rng = SplitMix64(seed: 0xD15)
        for _ in 0..<3_000 {
            let n = rng.below(41)
            // Mostly name bytes, so that runs longer than a word occur.
            let bytes = (0..<n).map { _ in rng.below(4) == 0 ? Self.alphabet[rng.below(Self.alphabet.count)] : Self.alphabet[rng.below(7)] }
            bytes.withUnsafeBytes { m in
                for from in 0...n {
                    for limit in from...n {
                        var expected = from
                        while expected < limit, !DNSFailureScanner.isNameStop(m[expected]) { expected += 1 }
                        #expect(DNSFailureScanner.skipNameBytes(m, from: from, limit: limit) == expected, "\(bytes) \(from) \(limit)")
                    }
                }
            }
        }
    }

    @Test func everyByteAtEveryPlaceOfAVectorAndItsTail() {
        for b in 0...255 {
            for at in 0..<20 {
                var bytes = [UInt8](repeating: 0x61, count: 20)
                bytes[at] = UInt8(b)
                let expected = DNSFailureScanner.isNameStop(UInt8(b)) ? at : 20
                #expect(bytes.withUnsafeBytes { DNSFailureScanner.skipNameBytes($0, from: 0, limit: 20) } == expected, "\(b) \(at)")
            }
        }
    }

    @Test func aServerEndsInAColonAndDigits() {
        var rng = SplitMix64(seed: 53)
        let alphabet = Array(":0159a.[]".utf8)
        for _ in 0..<5_000 {
            let bytes = (0..<rng.below(9)).map { _ in alphabet[rng.below(alphabet.count)] }
            // The rule as written: the bytes after the last colon are digits, and there is one.
            let expected = bytes.lastIndex(of: ASCII.colon).map { $0 + 1 < bytes.count && bytes[($0 + 1)...].allSatisfy(ASCII.isDigit) } ?? false
            #expect(bytes.withUnsafeBytes { DNSFailureScanner.isServerAddress($0) } == expected, "\(bytes)")
        }
    }

    @Test func prefixesAtEveryOffsetAndLength() {
        let text = Array("go package net: hostLookupOrder(a.example) = files,dns".utf8)
        text.withUnsafeBytes { m in
            for offset in -1...(text.count + 1) {
                #expect(m.hasPrefix("hostLookupOrder(", at: offset) == (offset == 16))
                #expect(m.hasPrefix("", at: offset) == (offset >= 0 && offset <= text.count))
                #expect(m.hasPrefix("files,dns", at: offset) == (offset == text.count - 9))
            }
            #expect(m.hasPrefix("go package net: "))
            #expect(!m.slice(0, 15).hasPrefix("go package net: "))
            #expect(m.slice(3, 3).hasPrefix(""))
        }
    }

    func mentions(_ bytes: [UInt8], from: Int = 0) -> [String] {
        var out: [String] = []
        bytes.withUnsafeBytes { m in
            DNSFailureScanner.scanMentions(m, from: from) { out.append("\($0.name.string)|\($0.server?.string ?? "-")|\($0.failureClass)") }
        }
        return out
    }

    @Test func namesOfEveryLengthUpToTheBufferEnd() {
        for length in 1...40 {
            let name = String(repeating: "n", count: length - 1) + "z"
            // The reason ends the buffer: the name's scan crosses words at every alignment.
            #expect(mentions(Array("x lookup \(name): no such host".utf8)) == ["\(name)|-|nxdomain"])
            #expect(mentions(Array("lookup \(name) on 10.96.0.10:53: no such host".utf8)) == ["\(name)|10.96.0.10:53|nxdomain"])
            // The name runs to the buffer's end, or to a colon at its end: no failure.
            #expect(mentions(Array("lookup \(name)".utf8)).isEmpty)
            #expect(mentions(Array("lookup \(name):".utf8)).isEmpty)
            #expect(mentions(Array("lookup \(name): ".utf8)).isEmpty)
        }
    }

    @Test func nonASCIIColonsAndBreakingBytesInNames() {
        #expect(mentions(Array("lookup b\u{FC}cher.example: no such host".utf8)) == ["b\u{FC}cher.example|-|nxdomain"])
        #expect(mentions([0x6C, 0x6F, 0x6F, 0x6B, 0x75, 0x70, 0x20, 0xFF, 0x80, 0x61] + Array(": Try again".utf8)) == ["\u{FFFD}\u{FFFD}a|-|temporary"])
        #expect(mentions(Array("lookup fd00::10 on [fd00::1]:53: no such host".utf8)) == ["fd00::10|[fd00::1]:53|nxdomain"])
        // DEL, a quote, a backslash or a control byte breaks a name; a server may hold DEL.
        for b: UInt8 in [0x7F, 0x22, 0x5C, 0x01, 0x09] {
            #expect(mentions(Array("lookup abcdefghij".utf8) + [b] + Array("k.example: no such host".utf8)).isEmpty)
        }
        #expect(mentions(Array("lookup a.example on 10.0.0.1".utf8) + [0x7F] + Array(":53: server misbehaving".utf8))
                == ["a.example|10.0.0.1\u{7F}:53|servfail"])
        #expect(mentions(Array("lookup a.example on 10.0.0.1\":53: server misbehaving".utf8)).isEmpty)
    }

    @Test func aSearchStartedAtTheFirstNeedleFindsWhatAWholeSearchFinds() {
        var rng = SplitMix64(seed: 16_16)
        let pieces = ["lookup ", "a.example", " on 10.96.0.10:53", ": ", "no such host", "Try again", "xlookup ", "lookup",
                      " ", "\"", "read udp 1.2.3.4:5->6.7.8.9:53: i/o timeout", "; ", "k", "p"]
        for _ in 0..<2_000 {
            let text = (0..<rng.below(12)).map { _ in pieces[rng.below(pieces.count)] }.joined()
            let bytes = Array(text.utf8)
            let whole = mentions(bytes)
            let first = bytes.withUnsafeBytes { $0.firstRange(of: "lookup ") } ?? bytes.count
            for start in 0...first { #expect(mentions(bytes, from: start) == whole, "\(text) \(start)") }
        }
    }
}
