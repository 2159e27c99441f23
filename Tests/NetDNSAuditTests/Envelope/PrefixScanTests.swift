import Foundation
import Testing
@testable import NetDNSAudit

/// The journald and compose prefixes are cut with vector scans (16 bytes at a time) and
/// journald's `short-iso-precise` time is read in place: every field length around the vector
/// widths and the limits, and every time form, must decode as the rules say.
@Suite struct PrefixScanTests {
    static func decode<E: LogEnvelope>(_ type: E.Type, _ lines: [String]) -> EnvelopeDecodedLines {
        EnvelopeDecodedLines(type, lines)
    }

    /// HOST and IDENT of 1 to 300 bytes, IDENT ended by each of its three stops: decoded
    /// exactly when both have at most 255 bytes.
    @Test func journaldHostAndIdentLengths() {
        for length in [1, 2, 14, 15, 16, 17, 31, 32, 33, 47, 48, 64, 100, 254, 255, 256, 257, 300] {
            let long = String(repeating: "h", count: length)
            for (ending, message) in [("[42]: m", "m"), (": m", "m"), (":", "")] {
                let asHost = Self.decode(JournaldEnvelope.self, ["2026-11-20T10:00:00.000455+0000 \(long) app\(ending)"])
                let asIdent = Self.decode(JournaldEnvelope.self, ["2026-11-20T10:00:00.000455+0000 node \(long)\(ending)"])
                let asShort = Self.decode(JournaldEnvelope.self, ["Nov 20 10:00:00 \(long) \(long)\(ending)"])
                if length <= 255 {
                    #expect(asHost.lines.map(\.key) == ["\(long) app"] && asHost.messages == [message], "host \(length)")
                    #expect(asIdent.lines.map(\.key) == ["node \(long)"] && asIdent.messages == [message], "ident \(length)")
                    #expect(asShort.lines.map(\.key) == ["\(long) \(long)"] && asShort.messages == [message], "short \(length)")
                } else {
                    #expect(asHost.mismatched == 1 && asIdent.mismatched == 1 && asShort.mismatched == 1, "\(length)")
                }
            }
            // A space ends IDENT too: then no `:` follows, and the line is not journald's.
            #expect(Self.decode(JournaldEnvelope.self, ["2026-11-20T10:00:00Z node \(long) x: m"]).mismatched == 1)
        }
    }

    /// An ISO time is the bytes up to the first space from byte 19 on, at byte 40 at the latest.
    @Test func journaldTimeLengths() {
        for length in 19...46 {
            let time = "2026-11-20T10:00:00" + String(repeating: "x", count: length - 19)
            let d = Self.decode(JournaldEnvelope.self, ["\(time) node app[1]: m"])
            if length <= 40 {
                #expect(d.lines.map(\.key) == ["node app"], "\(length)")
                #expect(d.lines.first?.timestamp == RFC3339.parse(time), "\(length)")
            } else {
                #expect(d.mismatched == 1, "\(length)")
            }
        }
    }

    /// `short-iso-precise` times, read in place, equal the same times with a colon in the
    /// offset as RFC 3339 reads them; a bad byte anywhere gives no time (the line still decodes).
    @Test func journaldPreciseTimesEqualTheirColonForm() {
        var lines: [String] = []
        var expected: [Int64?] = []
        for second in ["2026-11-20T10:00:00", "2026-11-20T10:00:00", "2026-11-20T10:00:01", "1970-01-01T00:00:00", "2262-04-11T23:47:16"] {
            // A bad byte at each of the six places (`/` and `:` border the digits), and five digits.
            let bad = (0..<6).flatMap { i in ["/", ":", "a"].map { String(repeating: "1", count: i) + $0 + String(repeating: "2", count: 5 - i) } }
            for fraction in ["000000", "000455", "999999", "123456", "12345"] + bad {
                for offset in ["+0000", "-0130", "+1400", "+9959", "+0000", "-00x0", "*0000", "+0:00", "-0130"] {
                    let line = "\(second).\(fraction)\(offset)"
                    lines.append("\(line) node app[1]: m")
                    let colon = String(line.dropLast(2)) + ":" + String(line.suffix(2))
                    expected.append(RFC3339.parse(colon) ?? RFC3339.parse(line))
                }
            }
        }
        let d = Self.decode(JournaldEnvelope.self, lines)
        #expect(d.lines.count == lines.count)
        #expect(d.lines.map(\.timestamp) == expected)
        #expect(expected.contains(nil) && expected.contains { $0 != nil })
    }

    /// Compose container names of 3 to 300 bytes, each followed by its padding: decoded exactly
    /// when the name has at most 255 bytes; any byte outside `[0-9A-Za-z_.-]` ends the name.
    @Test func composeNameLengthsAndStops() {
        for length in [1, 2, 3, 14, 15, 16, 17, 31, 32, 33, 63, 64, 65, 254, 255, 256, 300] {
            let name = String(repeating: "a", count: max(0, length - 2)) + "-1"
            let d = Self.decode(ComposeEnvelope.self, ["\(name)  | m", "\(name) | 2026-11-20T10:00:00.000455572Z m"])
            if length >= 3 && length <= 255 {
                #expect(d.lines.map(\.key) == [name, name] && d.messages == ["m", "m"], "\(length)")
                #expect(d.lines.last?.timestamp == RFC3339.parse("2026-11-20T10:00:00.000455572Z"))
            } else {
                #expect(d.mismatched == 2, "\(length)")
            }
        }
        // Every name byte, at every place in a 16-byte block.
        let all = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_.-"
        for shift in 0..<16 {
            let name = String(repeating: "x", count: shift) + all + "\u{00E9}-1"
            #expect(Self.decode(ComposeEnvelope.self, [name + "  | m"]).mismatched == 1)
            let plain = String(repeating: "x", count: shift) + all + "-1"
            #expect(Self.decode(ComposeEnvelope.self, [plain + "  | m"]).lines.map(\.key) == [plain])
        }
        let nameBytes = Set(all.utf8)
        for byte in UInt8(1)...UInt8(127) where !nameBytes.contains(byte) && byte != UInt8(ascii: " ") && byte != 0x0A {
            for at in [0, 5, 15, 16, 17, 31, 32] {
                // The name's bytes up to `at`, then the byte: the name ends there.
                let head = String(repeating: "b", count: at) + "-1"
                let line = head + String(UnicodeScalar(byte)) + "tail-2  | m"
                let d = Self.decode(ComposeEnvelope.self, [line])
                #expect(d.mismatched == 1, "byte \(byte) after \(at)")
            }
        }
    }
}
