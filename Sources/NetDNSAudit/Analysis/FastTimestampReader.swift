/// Reads the RFC 3339 timestamps that kubectl, containerd and CRI-O write
/// (`YYYY-MM-DDTHH:MM:SS.fZ` with 1 to 9 fraction digits, then a space) straight from a line,
/// for the fast paths: the date and time once per second of log, the fraction eight digits at a
/// time when it has nine. Any other form is left to ``RFC3339``.
struct FastTimestampReader {
    private var seconds = CachedSeconds()

    /// The time at `t` in nanoseconds since 1970 and the length of the time and its space, or
    /// `nil` when the `available` bytes do not start with such a time; the result then equals
    /// ``RFC3339/parse(_:)`` of the bytes before the space.
    @inline(__always)
    mutating func read(_ t: UnsafeRawPointer, available: Int) -> (nanoseconds: Int64, length: Int)? {
        guard available >= 22, t.load(fromByteOffset: 19, as: UInt8.self) == 0x2E else { return nil }
        var end: Int
        var nanos: Int64
        if available >= 31, t.load(fromByteOffset: 29, as: UInt8.self) == 0x5A, let nine = Self.nineDigits(t + 20) {
            nanos = nine
            end = 29
        } else {
            nanos = 0
            end = 20
            while end < 29, end < available, ASCII.isDigit(t.load(fromByteOffset: end, as: UInt8.self)) {
                nanos = nanos * 10 + Int64(t.load(fromByteOffset: end, as: UInt8.self) - 0x30)
                end += 1
            }
            guard end > 20 else { return nil }
            for _ in end..<29 { nanos *= 10 }
        }
        // `end` is at the `Z`, which a space must follow.
        guard end + 1 < available, t.load(fromByteOffset: end, as: UInt8.self) == 0x5A,
              t.load(fromByteOffset: end + 1, as: UInt8.self) == ASCII.space,
              let whole = seconds.nanoseconds(of: t) else { return nil }
        return (whole &+ nanos, end + 2)
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

/// The whole seconds of an RFC 3339 time (`YYYY-MM-DDTHH:MM:SS`), parsed once per second.
struct CachedSeconds {
    private var key: (UInt64, UInt64, UInt32) = (0, 0, 0)
    private var nanosecondsOfKey: Int64? = nil

    /// The seconds at `p` in nanoseconds since 1970, or `nil` when they are no valid time.
    @inline(__always)
    mutating func nanoseconds(of p: UnsafeRawPointer) -> Int64? {
        let k = (p.loadUnaligned(as: UInt64.self), p.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                 p.loadUnaligned(fromByteOffset: 15, as: UInt32.self))
        if let cached = nanosecondsOfKey, k == key { return cached }
        guard let seconds = RFC3339.parseSeconds(UnsafeRawBufferPointer(start: p, count: 19)) else { return nil }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow, scaled <= Int64.max - 999_999_999 else { return nil }
        key = k
        nanosecondsOfKey = scaled
        return scaled
    }
}
