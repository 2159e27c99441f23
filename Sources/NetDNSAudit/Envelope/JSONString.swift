import CNetDNSShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// JSON string values on bytes: finding their end and undoing their escapes
/// (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX` with surrogate pairs) into UTF-8.
enum JSONString {
    /// The extent of a string value whose opening quote is just before `start`.
    struct Extent {
        /// The offset of the closing quote.
        var end: Int
        /// How many backslash escapes the value holds.
        var escapes: Int
        /// The offset of the last escape's backslash, or -1.
        var lastEscape: Int
        /// Whether an escape that can spell a byte of a searched text is among them: `\\u`
        /// (any byte) or `\\/` (the slash of `fork/exec `). Without one, the escaped text holds
        /// `lookup ` and the fault texts exactly where the message does.
        var hasRespellingEscape = false
        /// The offset of the first escape's backslash, or -1.
        var firstEscape = -1
        /// The offset of the backslash of the escape before the last, or -1.
        var previousEscape = -1
    }

    /// Finds the closing quote of a string value starting at `start`; `nil` if it is unterminated.
    /// The quotes and backslashes are found with a vector scan, in one call for the whole value.
    @inline(__always)
    static func scan(_ line: UnsafeRawBufferPointer, from start: Int) -> Extent? {
        guard let base = line.baseAddress, start >= 0 else { return nil }
        var found = netdns_json_escapes()
        let end = netdns_json_string_end(base, line.count, start, &found)
        guard end >= 0 else { return nil }
        return Extent(end: end, escapes: found.escapes, lastEscape: found.last, hasRespellingEscape: found.respelling != 0,
                      firstEscape: found.first, previousEscape: found.previous)
    }

    /// Writes the unescaped bytes of `raw` (a string value without its quotes) to `out`, which
    /// has room for `raw.count` bytes (unescaping never grows the text); returns the count written.
    /// Broken escapes are kept as they are; lone surrogates become U+FFFD.
    static func unescape(_ raw: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer) -> Int {
        var i = 0
        var n = 0
        func put(_ b: UInt8) {
            out.storeBytes(of: b, toByteOffset: n, as: UInt8.self)
            n += 1
        }
        while i < raw.count {
            // The run of bytes up to the next backslash, copied at once.
            let run = memchr(raw.baseAddress! + i, 0x5C, raw.count - i).map { raw.baseAddress!.distance(to: UnsafeRawPointer($0)) } ?? raw.count
            if run > i {
                memcpy(out + n, raw.baseAddress! + i, run - i)
                n += run - i
                i = run
                if i == raw.count { break }
            }
            let b = raw[i]
            guard b == ASCII.backslash, i + 1 < raw.count else {
                put(b)
                i += 1
                continue
            }
            let e = raw[i + 1]
            switch e {
            case 0x22, 0x5C, 0x2F: put(e); i += 2
            case 0x62: put(0x08); i += 2
            case 0x66: put(0x0C); i += 2
            case 0x6E: put(0x0A); i += 2
            case 0x72: put(0x0D); i += 2
            case 0x74: put(0x09); i += 2
            case 0x75:
                guard let unit = hex4(raw, i + 2) else { put(b); i += 1; continue }
                i += 6
                var scalar = unit
                if (0xD800...0xDBFF).contains(unit) {
                    if i + 1 < raw.count, raw[i] == ASCII.backslash, raw[i + 1] == 0x75,
                       let low = hex4(raw, i + 2), (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(unit) {
                    scalar = 0xFFFD
                }
                // 6 escaped bytes give at most 3 UTF-8 bytes; 12 give 4.
                if scalar < 0x80 {
                    put(UInt8(scalar))
                } else if scalar < 0x800 {
                    put(UInt8(0xC0 | (scalar >> 6)))
                    put(UInt8(0x80 | (scalar & 0x3F)))
                } else if scalar < 0x10000 {
                    put(UInt8(0xE0 | (scalar >> 12)))
                    put(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                    put(UInt8(0x80 | (scalar & 0x3F)))
                } else {
                    put(UInt8(0xF0 | (scalar >> 18)))
                    put(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
                    put(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                    put(UInt8(0x80 | (scalar & 0x3F)))
                }
            default:
                put(b)
                i += 1
            }
        }
        return n
    }

    static func hex4(_ raw: UnsafeRawBufferPointer, _ at: Int) -> UInt32? {
        guard at + 4 <= raw.count else { return nil }
        var v: UInt32 = 0
        for k in at..<at + 4 {
            let c = raw[k]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// Skips one JSON value of any kind starting at `i`; returns the offset after it.
    static func skipValue(_ line: UnsafeRawBufferPointer, from i: Int) -> Int? {
        guard i < line.count else { return nil }
        switch line[i] {
        case ASCII.quote:
            return scan(line, from: i + 1).map { $0.end + 1 }
        case 0x7B, 0x5B:
            var depth = 0
            var j = i
            while j < line.count {
                switch line[j] {
                case ASCII.quote:
                    guard let e = scan(line, from: j + 1) else { return nil }
                    j = e.end
                case 0x7B, 0x5B: depth += 1
                case 0x7D, 0x5D:
                    depth -= 1
                    if depth == 0 { return j + 1 }
                default: break
                }
                j += 1
            }
            return nil
        default:
            var j = i
            while j < line.count, line[j] != 0x2C, line[j] != 0x7D, line[j] != 0x5D { j += 1 }
            return j
        }
    }
}
