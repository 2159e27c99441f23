import Foundation

/// Makes JSON safe to print on a terminal without changing what it means.
///
/// `JSONEncoder` escapes C0 controls, but JSON allows DEL, the C1 controls (U+009B is a
/// one-byte CSI to many terminals) and invisible bidirectional characters raw inside strings.
/// They can only occur inside strings, where `\uXXXX` is an equivalent spelling, so the
/// document decodes to exactly the same values.
enum JSONOutputEscaping {
    static func terminalSafe(_ json: Data) -> Data {
        // Fast path: every byte of those characters' UTF-8 forms is 0x7F or starts C2, D8, E2 or EF.
        let suspect = json.withUnsafeBytes { bytes in
            bytes.contains { $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 || $0 == 0xEF }
        }
        guard suspect else { return json }
        let text = String(decoding: json, as: UTF8.self)
        var out = ""
        out.reserveCapacity(text.utf8.count + 64)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v == 0x7F || (0x80...0x9F).contains(v) || TextEscaping.isInvisibleFormat(v) {
                out += "\\u" + String(v, radix: 16).leftPadded(4)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return Data(out.utf8)
    }
}
