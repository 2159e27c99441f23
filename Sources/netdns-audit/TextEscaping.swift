/// Makes text taken from logs safe to show on a terminal: control bytes (C0, DEL, C1) are
/// shown as `\xNN`, so a log line cannot move the cursor or hide rows.
enum TextEscaping {
    static func terminalSafe(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) {
                out += "\\x" + String(v, radix: 16, uppercase: false).leftPadded(2)
            } else if v == 0xFFFD {
                out += "\\x??"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Display width, counting each scalar as one column.
    static func visibleWidth(_ text: String) -> Int { text.unicodeScalars.count }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
