/// Parses RFC 3339 timestamps (`2026-11-20T10:00:00.123456789Z`, any fraction width, `Z` or
/// `±HH:MM`) into nanoseconds since 1970, without Foundation.
public enum RFC3339 {
    public static func parse(_ s: UnsafeRawBufferPointer) -> Int64? {
        guard s.count >= 20, let seconds = parseSeconds(s) else { return nil }
        return parseTail(s, seconds: seconds)
    }

    /// The decimal number in `len` bytes at `at`, or `nil` if one is not a digit.
    @inline(__always)
    static func decimal(_ s: UnsafeRawBufferPointer, _ at: Int, _ len: Int) -> Int? {
        var v = 0
        for i in at..<at + len {
            let b = s[i]
            guard ASCII.isDigit(b) else { return nil }
            v = v * 10 + Int(b - 0x30)
        }
        return v
    }

    /// The first 19 bytes (`YYYY-MM-DDTHH:MM:SS`) as seconds since 1970 before any UTC offset.
    static func parseSeconds(_ s: UnsafeRawBufferPointer) -> Int64? {
        guard s.count >= 19, let days = parseDay(s), let time = secondOfDay(s.baseAddress! + 11) else { return nil }
        return Int64(days) * 86400 + Int64(time)
    }

    /// The first 11 bytes (`YYYY-MM-DDT`, or a space for the `T`) as days since 1970, or `nil`.
    static func parseDay(_ s: UnsafeRawBufferPointer) -> Int? {
        guard s.count >= 11 else { return nil }
        func num(_ at: Int, _ len: Int) -> Int? { decimal(s, at, len) }
        guard let year = num(0, 4), s[4] == 0x2D, let month = num(5, 2), s[7] == 0x2D, let day = num(8, 2),
              s[10] == 0x54 || s[10] == 0x20, (1...12).contains(month), (1...31).contains(day) else { return nil }
        return daysFromCivil(year: year, month: month, day: day)
    }

    /// The eight bytes `HH:MM:SS` at `p` as seconds since midnight (a leap second allowed), or `nil`.
    @inline(__always)
    static func secondOfDay(_ p: UnsafeRawPointer) -> Int? {
        func digit(_ at: Int) -> Int? {
            let b = p.load(fromByteOffset: at, as: UInt8.self)
            return ASCII.isDigit(b) ? Int(b &- 0x30) : nil
        }
        guard let h1 = digit(0), let h0 = digit(1), p.load(fromByteOffset: 2, as: UInt8.self) == 0x3A,
              let m1 = digit(3), let m0 = digit(4), p.load(fromByteOffset: 5, as: UInt8.self) == 0x3A,
              let s1 = digit(6), let s0 = digit(7) else { return nil }
        let hour = h1 * 10 + h0, minute = m1 * 10 + m0, second = s1 * 10 + s0
        guard hour < 24, minute < 60, second < 61 else { return nil }
        return hour * 3600 + minute * 60 + second
    }

    /// The fraction and zone after the first 19 bytes, applied to `seconds` from ``parseSeconds(_:)``.
    static func parseTail(_ s: UnsafeRawBufferPointer, seconds base: Int64) -> Int64? {
        guard s.count >= 20 else { return nil }
        func num(_ at: Int, _ len: Int) -> Int? { decimal(s, at, len) }
        var i = 19
        var nanos: Int64 = 0
        if i < s.count, s[i] == 0x2E {
            i += 1
            var digits = 0
            while i < s.count, ASCII.isDigit(s[i]) {
                if digits < 9 { nanos = nanos * 10 + Int64(s[i] - 0x30) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 9)..<9 { nanos *= 10 }
        }
        guard i < s.count else { return nil }
        var offsetSeconds = 0
        if s[i] == 0x5A || s[i] == 0x7A {
            i += 1
        } else if s[i] == 0x2B || s[i] == 0x2D, i + 6 <= s.count, let oh = num(i + 1, 2), s[i + 3] == 0x3A, let om = num(i + 4, 2) {
            offsetSeconds = (oh * 3600 + om * 60) * (s[i] == 0x2B ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == s.count else { return nil }
        let seconds = base - Int64(offsetSeconds)
        // Nanoseconds in an Int64 span the years 1677 to 2262; a time outside is no timestamp.
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        let (t, carry) = scaled.addingReportingOverflow(nanos)
        return carry ? nil : t
    }

    /// Parses a timestamp held in a string.
    public static func parse(_ text: String) -> Int64? {
        var copy = text
        return copy.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// Formats nanoseconds since 1970 as `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`.
    public static func format(_ t: Int64) -> String {
        // Floor division, without overflowing near Int64.min.
        var seconds = t / 1_000_000_000
        var nanos = t % 1_000_000_000
        if nanos < 0 { seconds -= 1; nanos += 1_000_000_000 }
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rem = Int(seconds - days * 86400)
        let (y, m, d) = civilFromDays(Int(days))
        // Int64 nanoseconds span the years 1677 to 2262: every field fits its width, 30 bytes.
        return String(unsafeUninitializedCapacity: 30) { out in
            func put(_ v: Int, _ width: Int, at start: Int) {
                var v = v
                for i in (start..<start + width).reversed() {
                    out[i] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                    v /= 10
                }
            }
            put(y, 4, at: 0); out[4] = 0x2D; put(m, 2, at: 5); out[7] = 0x2D; put(d, 2, at: 8); out[10] = 0x54
            put(rem / 3600, 2, at: 11); out[13] = 0x3A; put(rem / 60 % 60, 2, at: 14); out[16] = 0x3A
            put(rem % 60, 2, at: 17); out[19] = 0x2E; put(Int(nanos), 9, at: 20); out[29] = 0x5A
            return 30
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
