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
        let suspect = json.withUnsafeBytes { bytes in
            bytes.contains { b in
                b == 0x7F || b == 0xC2 || b == 0xCD || b == 0xD8 || (0xE1...0xE3).contains(b) || b == 0xEF
                    || b == 0xF0 || b == 0xF3 || b == UInt8(ascii: "#")
            }
        }
        guard suspect else { return json }
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
}
