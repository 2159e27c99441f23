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
///
/// The text also cannot form a GitHub Actions runner command in the CI log (docs/ci-gate.md):
/// the runner reads every line of standard output and standard error as a command when it holds
/// `##[` anywhere (the legacy form) or starts with `::` after white space, so `##[` is written
/// `##\x5b` and a leading `::` as `\x3a:`. Characters the runner's culture-sensitive search
/// would skip (all default-ignorable code points) are escaped above, so none can hide inside `##[`.
enum TextEscaping {
    static func terminalSafe(_ text: String) -> String {
        guard needsEscaping(text) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        var leading = true
        var hashes = 0
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            let v = scalar.value
            if leading && scalar == ":" && pending == ":" {
                out += "\\x3a"
                leading = false
                hashes = 0
                continue
            }
            if !isWhiteSpace(v) { leading = false }
            if isControl(v) {
                out += "\\x" + String(v, radix: 16, uppercase: false).leftPadded(2)
            } else if v == 0xFFFD {
                out += "\\x??"
            } else if isInvisibleFormat(v) {
                out += "\\u{" + String(v, radix: 16, uppercase: false).leftPadded(4) + "}"
            } else if scalar == "[" && hashes >= 2 {
                out += "\\x5b"
            } else {
                out.unicodeScalars.append(scalar)
            }
            hashes = scalar == "#" ? hashes + 1 : 0
        }
        return out
    }

    /// Whether any scalar of `text` would be escaped (the common case, plain ASCII without `##[`
    /// or a leading `::`, is not).
    static func needsEscaping(_ text: String) -> Bool {
        var hashes = 0
        var onlySpaces = true
        var colonAtStart = false
        for byte in text.utf8 {
            // Controls, DEL and anything non-ASCII: decided per scalar.
            if byte < 0x20 || byte >= 0x7F { return true }
            if byte == UInt8(ascii: ":") {
                if colonAtStart { return true }
                colonAtStart = onlySpaces
            } else {
                colonAtStart = false
            }
            if byte != UInt8(ascii: " ") { onlySpaces = false }
            if byte == UInt8(ascii: "[") && hashes >= 2 { return true }
            hashes = byte == UInt8(ascii: "#") ? hashes + 1 : 0
        }
        return false
    }

    /// The white space .NET's `String.TrimStart()` removes (Unicode White_Space).
    static func isWhiteSpace(_ v: UInt32) -> Bool {
        (0x09...0x0D).contains(v) || v == 0x20 || v == 0x85 || v == 0xA0 || v == 0x1680
            || (0x2000...0x200A).contains(v) || v == 0x2028 || v == 0x2029 || v == 0x202F || v == 0x205F || v == 0x3000
    }

    /// C0, DEL and C1 control characters.
    static func isControl(_ v: UInt32) -> Bool {
        v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v)
    }

    /// Invisible characters that change how the text around them is shown, or that a
    /// culture-sensitive search skips: every Unicode Default_Ignorable_Code_Point (soft hyphen,
    /// U+034F, U+061C, Hangul fillers, U+17B4/5, Mongolian selectors, U+200B...U+200F zero-width
    /// and marks, U+202A...U+202E embeddings and overrides, U+2060...U+206F word joiner, invisible
    /// operators and isolates, variation selectors, U+FEFF, U+FFF0...U+FFF8, shorthand format
    /// controls, musical format controls, tags), the line and paragraph separators U+2028/9, and
    /// the interlinear annotation characters U+FFF9...U+FFFB.
    static func isInvisibleFormat(_ v: UInt32) -> Bool {
        if v < 0x00AD { return false }
        switch v {
        case 0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B...0x180F, 0x200B...0x200F,
             0x2028...0x202E, 0x2060...0x206F, 0x3164, 0xFE00...0xFE0F, 0xFEFF, 0xFFA0, 0xFFF0...0xFFFB,
             0x1BCA0...0x1BCA3, 0x1D173...0x1D17A, 0xE0000...0xE0FFF:
            return true
        default:
            return false
        }
    }

    /// Display width, counting each scalar as one column.
    static func visibleWidth(_ text: String) -> Int { text.unicodeScalars.count }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
