/// The one RFC 3339 reader of the envelopes, remembering the date and time of the last
/// timestamp: consecutive log lines mostly share their second, so only the fraction and zone
/// are read again. Every result equals ``RFC3339/parse(_:)-(UnsafeRawBufferPointer)`` of the
/// same bytes.
struct TimestampCache {
    private var key: (UInt64, UInt64, UInt32) = (0, 0, 0)
    /// The seconds of `key` before any UTC offset, or `nil` before the first timestamp.
    private var seconds: Int64? = nil
    /// The bytes of the last colonless UTC offset read in place (`±HHMM`) and its seconds.
    private var zoneKey: UInt64 = 0
    private var zoneSeconds: Int64 = 0
    /// The first 11 bytes of the last date parsed (`YYYY-MM-DDT`, as two overlapping words)
    /// and its seconds, or `nil`: a time in another second of the same day parses only its
    /// `HH:MM:SS` (a pod log's lines are seconds or minutes apart).
    private var dayKey: (UInt64, UInt32) = (0, 0)
    private var daySeconds: Int64? = nil

    /// The timestamp `s` (the whole token, nothing after it), or `nil`.
    @inline(__always)
    mutating func parse(_ s: UnsafeRawBufferPointer) -> Int64? {
        guard s.count >= 20, let base = s.baseAddress, let whole = secondsOf(base) else { return nil }
        return RFC3339.parseTail(s, seconds: whole)
    }

    /// The timestamp at the start of `available` bytes at `t`, ended by a space (as kubectl,
    /// containerd and CRI-O write it): its nanoseconds since 1970 and the length of the time
    /// with its space, or `nil` when the bytes do not start with a timestamp and a space
    /// within `maxLength` bytes. Nine fraction digits and `Z`, the common form, are read
    /// eight digits at a time.
    @inline(__always)
    mutating func readLeading(_ t: UnsafeRawPointer, available: Int, maxLength: Int = 40) -> (nanoseconds: Int64, length: Int)? {
        guard available >= 21 else { return nil }
        if available >= 31, t.load(fromByteOffset: 19, as: UInt8.self) == 0x2E, t.load(fromByteOffset: 29, as: UInt8.self) == 0x5A,
           t.load(fromByteOffset: 30, as: UInt8.self) == ASCII.space, let nine = Self.nineDigits(t + 20) {
            guard let whole = secondsOf(t) else { return nil }
            let (scaled, overflow) = whole.multipliedReportingOverflow(by: 1_000_000_000)
            guard !overflow else { return nil }
            let (ns, carry) = scaled.addingReportingOverflow(nine)
            return carry ? nil : (ns, 31)
        }
        // Any other form: up to the first space.
        var end = 19
        let limit = maxLength >= available ? available : maxLength + 1
        while end < limit, t.load(fromByteOffset: end, as: UInt8.self) != ASCII.space { end += 1 }
        guard end < available, end <= maxLength, t.load(fromByteOffset: end, as: UInt8.self) == ASCII.space,
              let ns = parse(UnsafeRawBufferPointer(start: t, count: end)) else { return nil }
        return (ns, end + 1)
    }

    /// The timestamp `s` (the whole token), whose UTC offset may also be written without its
    /// colon (`+0000`, as journalctl writes it): read as the same time with the colon put in.
    /// journalctl's `short-iso-precise` form, `YYYY-MM-DDTHH:MM:SS.ffffff±HHMM`, is read in place:
    /// the six digits at once, the offset once per run of lines with the same one.
    @inline(__always)
    mutating func parseAllowingColonlessOffset(_ s: UnsafeRawBufferPointer) -> Int64? {
        let n = s.count
        if n == 31, let t = s.baseAddress, t.load(fromByteOffset: 19, as: UInt8.self) == 0x2E,
           let micros = Self.sixDigits(t + 20), let offset = colonlessOffset(t + 26) {
            guard let whole = secondsOf(t) else { return nil }
            let (scaled, overflow) = (whole - offset).multipliedReportingOverflow(by: 1_000_000_000)
            guard !overflow else { return nil }
            let (ns, carry) = scaled.addingReportingOverflow(micros * 1000)
            return carry ? nil : ns
        }
        if n >= 5, n <= 60, s[n - 5] == 0x2B || s[n - 5] == 0x2D, ASCII.isDigit(s[n - 4]), ASCII.isDigit(s[n - 3]),
           ASCII.isDigit(s[n - 2]), ASCII.isDigit(s[n - 1]) {
            // Any other form: the time with a colon put into its offset, on the stack.
            return withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { scratch in
                let out = scratch.baseAddress!
                out.copyMemory(from: s.baseAddress!, byteCount: n - 2)
                out.storeBytes(of: ASCII.colon, toByteOffset: n - 2, as: UInt8.self)
                (out + n - 1).copyMemory(from: s.baseAddress! + n - 2, byteCount: 2)
                return parse(UnsafeRawBufferPointer(start: out, count: n + 1))
            }
        }
        return parse(s)
    }

    /// The seconds of the `±HHMM` offset at `p` (five bytes), or `nil`.
    @inline(__always)
    private mutating func colonlessOffset(_ p: UnsafeRawPointer) -> Int64? {
        let key = UInt64(p.loadUnaligned(as: UInt32.self)) | UInt64(p.load(fromByteOffset: 4, as: UInt8.self)) << 32 | 1 << 40
        if key == zoneKey { return zoneSeconds }
        let sign = p.load(as: UInt8.self)
        guard sign == 0x2B || sign == 0x2D else { return nil }
        var hhmm: Int64 = 0
        for i in 1...4 {
            let b = p.load(fromByteOffset: i, as: UInt8.self)
            guard ASCII.isDigit(b) else { return nil }
            hhmm = hhmm * 10 + Int64(b &- 0x30)
        }
        let seconds = (hhmm / 100 * 3600 + hhmm % 100 * 60) * (sign == 0x2B ? 1 : -1)
        zoneKey = key
        zoneSeconds = seconds
        return seconds
    }

    /// The six ASCII digits at `p` as a number, or `nil` when one is not a digit (eight bytes
    /// are read).
    @inline(__always)
    static func sixDigits(_ p: UnsafeRawPointer) -> Int64? {
        // The two bytes after the digits are replaced by `0`s for the test, then shifted out.
        let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)) & 0x0000_FFFF_FFFF_FFFF | 0x3030_0000_0000_0000
        guard word & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030,
              (word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030 else { return nil }
        // Two leading zeros, then the six digits, first digit in the lowest byte as eight are read.
        var v = (word &- 0x3030_3030_3030_3030) << 16
        v = (v &* 10 &+ (v >> 8)) & 0x00FF_00FF_00FF_00FF
        v = (v &* 100 &+ (v >> 16)) & 0x0000_FFFF_0000_FFFF
        v = (v &* 10000 &+ (v >> 32)) & 0xFFFF_FFFF
        return Int64(v)
    }

    /// The whole seconds at `p` (`YYYY-MM-DDTHH:MM:SS`), parsed once per second.
    @inline(__always)
    private mutating func secondsOf(_ p: UnsafeRawPointer) -> Int64? {
        let k = (p.loadUnaligned(as: UInt64.self), p.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                 p.loadUnaligned(fromByteOffset: 15, as: UInt32.self))
        if let cached = seconds, k == key { return cached }
        let day = (k.0, p.loadUnaligned(fromByteOffset: 7, as: UInt32.self))
        let parsed: Int64
        if let base = daySeconds, day == dayKey {
            guard let time = RFC3339.secondOfDay(p + 11) else { return nil }
            parsed = base + Int64(time)
        } else {
            guard let days = RFC3339.parseDay(UnsafeRawBufferPointer(start: p, count: 11)),
                  let time = RFC3339.secondOfDay(p + 11) else { return nil }
            dayKey = day
            daySeconds = Int64(days) * 86400
            parsed = Int64(days) * 86400 + Int64(time)
        }
        key = k
        seconds = parsed
        return parsed
    }

    /// The nine ASCII digits at `p` as a number, or `nil` when one is not a digit.
    @inline(__always)
    static func nineDigits(_ p: UnsafeRawPointer) -> Int64? {
        let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
        // Every byte 0x30...0x39: the high nibble is 3 and adding 6 does not carry out of it.
        guard word & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030,
              (word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030 else { return nil }
        let last = p.load(fromByteOffset: 8, as: UInt8.self)
        guard ASCII.isDigit(last) else { return nil }
        var v = word &- 0x3030_3030_3030_3030
        v = (v &* 10 &+ (v >> 8)) & 0x00FF_00FF_00FF_00FF
        v = (v &* 100 &+ (v >> 16)) & 0x0000_FFFF_0000_FFFF
        v = (v &* 10000 &+ (v >> 32)) & 0xFFFF_FFFF
        return Int64(v) * 10 + Int64(last - 0x30)
    }
}
