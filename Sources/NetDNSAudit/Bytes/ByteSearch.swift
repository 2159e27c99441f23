import CNetDNSShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level searching used on the hot path: `memchr`, `memmem` and prefix tests on raw buffers.
extension UnsafeRawBufferPointer {
    /// Whether the buffer starts with the given ASCII bytes.
    @inlinable
    func hasPrefix(_ prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard count >= n, baseAddress != nil else { return n == 0 }
        return hasPrefix(prefix, at: 0)
    }

    /// Whether the bytes from `offset` on start with the given ASCII bytes: compared eight at a
    /// time inline (the texts are short, and a `memcmp` call costs more than the comparison).
    @inlinable
    func hasPrefix(_ prefix: StaticString, at offset: Int) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard offset >= 0, count - offset >= n, let base = baseAddress else { return false }
        let p = base + offset, q = UnsafeRawPointer(prefix.utf8Start)
        var i = 0
        while i + 8 <= n {
            if p.loadUnaligned(fromByteOffset: i, as: UInt64.self) != q.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < n {
            if p.load(fromByteOffset: i, as: UInt8.self) != q.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    /// Whether the buffer holds exactly the given ASCII bytes.
    @inlinable
    func equals(_ text: StaticString) -> Bool {
        count == text.utf8CodeUnitCount && hasPrefix(text)
    }

    /// The offset of the first occurrence of `needle` at or after `from`, or `nil`.
    ///
    /// `netdns_find_pair` on the needle's first and last bytes: for the short needles and short
    /// messages searched here it costs less than `memmem`, whose setup dominates.
    @inlinable
    func firstRange(of needle: StaticString, from: Int = 0) -> Int? {
        let n = needle.utf8CodeUnitCount
        guard let base = baseAddress, from >= 0, count - from >= n, n > 0 else { return nil }
        guard let hit = netdns_find_pair(base + from, count - from, needle.utf8Start, n, 0, n - 1) else { return nil }
        return base.distance(to: hit)
    }

    /// ``firstRange(of:from:)`` testing the needle's bytes at `rareIndices` first (two bytes
    /// rarer than its first and last; see `netdns_find_pair`).
    @inlinable
    func firstRange(of needle: StaticString, from: Int, rareIndices: (Int, Int)) -> Int? {
        let n = needle.utf8CodeUnitCount
        guard let base = baseAddress, from >= 0, count - from >= n, n > 0 else { return nil }
        guard let hit = netdns_find_pair(base + from, count - from, needle.utf8Start, n, rareIndices.0, rareIndices.1) else { return nil }
        return base.distance(to: hit)
    }

    /// The offset of the first `byte` at or after `from`, or `nil`.
    @inlinable
    func firstIndex(ofByte byte: UInt8, from: Int = 0) -> Int? {
        guard let base = baseAddress, from < count else { return nil }
        guard let hit = memchr(base + from, Int32(byte), count - from) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    /// A sub-buffer of the given offsets.
    @inlinable
    func slice(_ lower: Int, _ upper: Int) -> UnsafeRawBufferPointer {
        guard let base = baseAddress, lower < upper else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + lower, count: upper - lower)
    }

    /// A line cut at its `\n`, without the `\r` that ends it in CRLF text.
    @inlinable
    func droppingCarriageReturn() -> UnsafeRawBufferPointer {
        guard count > 0, self[count - 1] == 0x0D else { return self }
        return UnsafeRawBufferPointer(start: baseAddress, count: count - 1)
    }

    /// The buffer with trailing spaces, tabs and carriage returns removed.
    @inlinable
    func trimmingTrailingWhitespace() -> UnsafeRawBufferPointer {
        var end = count
        while end > 0, self[end - 1] == 0x20 || self[end - 1] == 0x09 || self[end - 1] == 0x0D { end -= 1 }
        return slice(0, end)
    }

    /// The bytes decoded as UTF-8, with invalid sequences repaired.
    var string: String { String(decoding: self, as: UTF8.self) }
}

/// The order of strings by their UTF-8 bytes, the same on every platform (report keys, samples).
enum UTF8Order {
    /// Whether `a`'s bytes precede `b`'s: one `memcmp` of their contiguous UTF-8 (what a native
    /// string holds; the generic element-by-element comparison only for other strings).
    @inline(__always)
    static func precedes(_ a: String, _ b: String) -> Bool {
        let compared: Bool?? = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in compare(x, y) < 0 }
        }
        if let compared, let compared { return compared }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// -1, 0 or 1 as the bytes `x` sort before, equal to or after the bytes `y`: one `memcmp`,
    /// then the shorter first.
    @inline(__always)
    static func compare(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
        let n = Swift.min(x.count, y.count)
        if n > 0, let p = x.baseAddress, let q = y.baseAddress {
            let c = memcmp(p, q, n)
            if c != 0 { return c < 0 ? -1 : 1 }
        }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }
}

/// Byte values the parsers test for.
@usableFromInline
enum ASCII {
    @usableFromInline static let newline: UInt8 = 0x0A
    @usableFromInline static let space: UInt8 = 0x20
    @usableFromInline static let colon: UInt8 = 0x3A
    @usableFromInline static let quote: UInt8 = 0x22
    @usableFromInline static let backslash: UInt8 = 0x5C

    /// Letters, digits and underscore: the bytes that continue a word.
    @inlinable static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    @inlinable static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
}
