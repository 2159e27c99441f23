import Foundation
import Testing
@testable import netdns_audit

/// The fast test of ``JSONOutputEscaping`` (eight bytes at a time) finds every byte that may
/// start a character it spells as `\u` and every `#`, wherever it stands, and nothing else.
@Suite struct JSONOutputEscapingTests {
    static let suspects: Set<UInt8> = [0x7F, 0xC2, 0xCD, 0xD8, 0xE1, 0xE2, 0xE3, 0xEF, 0xF0, 0xF3, UInt8(ascii: "#")]

    @Test func everySuspectByteAtEveryPlace() {
        for byte in UInt8.min...UInt8.max {
            for length in [1, 7, 8, 9, 16, 23] {
                for at in 0..<length {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[at] = byte
                    let found = bytes.withUnsafeBytes { JSONOutputEscaping.hasSuspectByte($0) }
                    #expect(found == Self.suspects.contains(byte), "byte \(byte) at \(at) of \(length)")
                }
            }
        }
        #expect([UInt8]().withUnsafeBytes { JSONOutputEscaping.hasSuspectByte($0) } == false)
    }

    @Test func documentsWithoutSuspectsAreReturnedAsTheyAre() {
        let plain = Data("{\n  \"name\" : \"caf\u{E9}\"\n}".utf8)
        #expect(JSONOutputEscaping.terminalSafe(plain) == plain)
        #expect(JSONOutputEscaping.terminalSafe(Data("\"a\u{7F}##[b\"".utf8)) == Data("\"a\\u007f##\\u005bb\"".utf8))
    }
}
