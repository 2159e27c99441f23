import Foundation

/// Makes JSON safe to print on a terminal without changing what it means.
///
/// `JSONEncoder` escapes C0 controls, but JSON allows DEL, the C1 controls (U+009B is a
/// one-byte CSI to many terminals) and invisible bidirectional characters raw inside strings.
/// They can only occur inside strings, where `\uXXXX` is an equivalent spelling, so the
/// document decodes to exactly the same values. For the same reason `##[` (a GitHub Actions
/// runner command anywhere in a line) is written `##\u005b`: `#` occurs only inside strings.
enum JSONOutputEscaping {
    static func terminalSafe(_ json: Data) -> Data {
        // Fast path: those characters' UTF-8 forms start with 0x7F, C2, C2/CD/D8 (U+00AD, U+034F,
        // U+061C), E1/E2/E3/EF (BMP ones) or F0/F3 (U+1BCA0, U+1D173, tags); `##[` starts with `#`.
        guard json.withUnsafeBytes(hasSuspectByte) else { return json }
        let text = String(decoding: json, as: UTF8.self)
        var out = ""
        out.reserveCapacity(text.utf8.count + 64)
        var hashes = 0
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v == 0x7F || (0x80...0x9F).contains(v) || TextEscaping.isInvisibleFormat(v) || (scalar == "[" && hashes >= 2) {
                if v > 0xFFFF {
                    // Outside the BMP: a UTF-16 surrogate pair, as JSON spells it.
                    let u = v - 0x10000
                    out += "\\u" + String(0xD800 + (u >> 10), radix: 16) + "\\u" + String(0xDC00 + (u & 0x3FF), radix: 16)
                } else {
                    out += "\\u" + String(v, radix: 16).leftPadded(4)
                }
            } else {
                out.unicodeScalars.append(scalar)
            }
            hashes = scalar == "#" ? hashes + 1 : 0
        }
        return Data(out.utf8)
    }

    /// Whether a byte of `bytes` may start such a character or be `#`: eight bytes at a time,
    /// a word with no byte >= 0x7F and no `#` is skipped whole.
    static func hasSuspectByte(_ bytes: UnsafeRawBufferPointer) -> Bool {
        @inline(__always) func suspect(_ b: UInt8) -> Bool {
            b == 0x7F || b == 0xC2 || b == 0xCD || b == 0xD8 || (0xE1...0xE3).contains(b) || b == 0xEF
                || b == 0xF0 || b == 0xF3 || b == UInt8(ascii: "#")
        }
        guard let base = bytes.baseAddress else { return false }
        let n = bytes.count
        var i = 0
        while i + 8 <= n {
            let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // A byte >= 0x7F: its high bit, or 0x7F + 1 reaching it; a `#`: a zero byte of w ^ "########".
            let high = (w | ((w & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x0101_0101_0101_0101)) & 0x8080_8080_8080_8080
            let x = w ^ 0x2323_2323_2323_2323
            let hash = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
            if high | hash != 0 {
                for k in i..<(i + 8) where suspect(base.load(fromByteOffset: k, as: UInt8.self)) { return true }
            }
            i += 8
        }
        while i < n {
            if suspect(base.load(fromByteOffset: i, as: UInt8.self)) { return true }
            i += 1
        }
        return false
    }
}
