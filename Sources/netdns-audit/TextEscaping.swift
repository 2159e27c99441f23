/// Makes text taken from logs safe to show on a terminal or in a CI log (which renders ANSI
/// escapes too): a log line cannot move the cursor, clear the screen, set the window title,
/// hide rows or reorder what is shown.
///
/// - C0 controls (including ESC, CR, LF, BEL), DEL and C1 controls (U+0080...U+009F, such as
///   the one-byte CSI U+009B) are shown as `\xNN`, so `ESC[2J` prints as `\x1b[2J`.
/// - Invalid UTF-8 was already replaced by U+FFFD when the bytes became text (the raw bytes are
///   not kept); U+FFFD is shown as `\x??`, so a damaged byte stays visible.
/// - Unicode format characters that change what a terminal shows without being seen themselves
///   (bidirectional overrides and isolates, zero-width characters, line and paragraph
///   separators, the byte order mark) are shown as `\u{XXXX}`.
///
/// Printable text, backslashes included, is kept as is: a literal `\x1b` in a log therefore
/// looks like an escaped ESC. That is harmless (it cannot act on the terminal) and keeps
/// ordinary paths and messages readable.
enum TextEscaping {
    static func terminalSafe(_ text: String) -> String {
        guard needsEscaping(text) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if isControl(v) {
                out += "\\x" + String(v, radix: 16, uppercase: false).leftPadded(2)
            } else if v == 0xFFFD {
                out += "\\x??"
            } else if isInvisibleFormat(v) {
                out += "\\u{" + String(v, radix: 16, uppercase: false).leftPadded(4) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether any scalar of `text` would be escaped (the common case, plain ASCII, is not).
    static func needsEscaping(_ text: String) -> Bool {
        for byte in text.utf8 where byte < 0x20 || byte >= 0x7F {
            if byte < 0x20 || byte == 0x7F { return true }
            // Non-ASCII: decide per scalar.
            return text.unicodeScalars.contains { isControl($0.value) || $0.value == 0xFFFD || isInvisibleFormat($0.value) }
        }
        return false
    }

    /// C0, DEL and C1 control characters.
    static func isControl(_ v: UInt32) -> Bool {
        v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v)
    }

    /// Invisible characters that change how the text around them is shown: U+061C, U+200B...U+200F
    /// (zero-width, LRM, RLM), U+2028...U+202E (separators, embeddings, overrides), U+2060...U+2069
    /// (word joiner, invisible operators, isolates), U+FEFF and U+FFF9...U+FFFB.
    static func isInvisibleFormat(_ v: UInt32) -> Bool {
        v == 0x061C || (0x200B...0x200F).contains(v) || (0x2028...0x202E).contains(v)
            || (0x2060...0x2069).contains(v) || v == 0xFEFF || (0xFFF9...0xFFFB).contains(v)
    }

    /// Display width, counting each scalar as one column.
    static func visibleWidth(_ text: String) -> Int { text.unicodeScalars.count }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
