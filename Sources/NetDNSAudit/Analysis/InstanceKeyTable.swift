#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps (envelope index, instance key bytes) to an instance slot without allocating per lookup.
///
/// Open addressing over a power-of-two table of small entries; the key bytes live in one growing
/// arena, so a lookup hashes the bytes in place and compares them eight at a time.
struct InstanceKeyTable {
    /// One stored key; `slot < 0` marks an empty entry.
    struct Entry {
        var hash: UInt64 = 0
        var offset: Int32 = 0
        var length: Int32 = 0
        var envelopeIndex: Int32 = 0
        var slot: Int32 = -1
    }

    private var entries: [Entry] = Array(repeating: Entry(), count: 64)
    private var arena: [UInt8] = []
    private(set) var count = 0

    /// Where a stored key's bytes are.
    struct KeyRef {
        var offset: Int
        var length: Int
    }

    /// Whether the stored key `ref` has the bytes of `key`.
    @inline(__always)
    func keyEquals(_ ref: KeyRef, _ key: UnsafeRawBufferPointer) -> Bool {
        guard ref.length == key.count else { return false }
        guard ref.length > 0 else { return true }
        return arena.withUnsafeBytes { Self.sameBytes($0.baseAddress! + ref.offset, key.baseAddress!, ref.length) }
    }

    /// The slot of a key and where its bytes are stored, or `nil`.
    func find(_ key: UnsafeRawBufferPointer, envelopeIndex: Int) -> (slot: Int, key: KeyRef)? {
        guard let entry = entry(for: key, envelopeIndex: envelopeIndex) else { return nil }
        return (Int(entry.slot), KeyRef(offset: Int(entry.offset), length: Int(entry.length)))
    }

    @inline(__always)
    private func entry(for key: UnsafeRawBufferPointer, envelopeIndex: Int) -> Entry? {
        let hash = Self.hash(key, envelopeIndex)
        return entries.withUnsafeBufferPointer { table -> Entry? in
            arena.withUnsafeBytes { bytes -> Entry? in
                let mask = table.count - 1
                var i = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let entry = table[i]
                    if entry.slot < 0 { return nil }
                    if entry.hash == hash, Int(entry.envelopeIndex) == envelopeIndex, Int(entry.length) == key.count,
                       key.count == 0 || Self.sameBytes(bytes.baseAddress! + Int(entry.offset), key.baseAddress!, key.count) {
                        return entry
                    }
                    i = (i + 1) & mask
                }
            }
        }
    }

    /// Adds a key that is not in the table; returns where its bytes are stored.
    @discardableResult
    mutating func insert(_ key: UnsafeRawBufferPointer, envelopeIndex: Int, slot: Int) -> KeyRef {
        if (count + 1) * 4 > entries.count * 3 { grow() }
        let offset = arena.count
        arena.append(contentsOf: key)
        place(Entry(hash: Self.hash(key, envelopeIndex), offset: Int32(offset), length: Int32(key.count),
                    envelopeIndex: Int32(envelopeIndex), slot: Int32(slot)))
        count += 1
        return KeyRef(offset: offset, length: key.count)
    }

    private mutating func place(_ entry: Entry) {
        let mask = entries.count - 1
        var i = Int(truncatingIfNeeded: entry.hash) & mask
        while entries[i].slot >= 0 { i = (i + 1) & mask }
        entries[i] = entry
    }

    private mutating func grow() {
        let old = entries
        entries = Array(repeating: Entry(), count: old.count * 2)
        for entry in old where entry.slot >= 0 { place(entry) }
    }

    /// Whether `n` bytes at `a` and `b` are equal: eight at a time, inline (keys are short, and a
    /// `memcmp` call costs more than the comparison).
    @inline(__always)
    static func sameBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        var i = 0
        while i + 8 <= n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        if i < n, n >= 8 {
            // The last eight bytes, overlapping the words already compared.
            return a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }
        while i < n {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    /// A fast 64-bit hash of the bytes: the words are mixed independently (no chain of
    /// multiplications), then once at the end. Collisions only cost a comparison.
    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer, _ seed: Int) -> UInt64 {
        let n = key.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(bitPattern: Int64(seed)) &* 31 &+ UInt64(n)
        guard let base = key.baseAddress, n > 0 else { return h }
        if n >= 8 {
            var i = 0
            var rotation: UInt64 = 0
            while i + 8 <= n {
                let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                h = h &+ ((word &* 0xFF51_AFD7_ED55_8CCD) ^ (word >> 29)).rotatedLeft(by: rotation)
                rotation &+= 17
                i += 8
            }
            if i < n {
                let word = base.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
                h = h &+ (word &* 0xC4CE_B9FE_1A85_EC53)
            }
        } else {
            var tail: UInt64 = 0
            for i in 0..<n { tail |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << (UInt64(i) * 8) }
            h = h &+ (tail &* 0xC4CE_B9FE_1A85_EC53)
        }
        h = (h ^ (h >> 32)) &* 0xD6E8_FEB8_6659_FD93
        return h ^ (h >> 29)
    }
}

extension UInt64 {
    @inline(__always)
    func rotatedLeft(by n: UInt64) -> UInt64 {
        let s = n & 63
        return s == 0 ? self : (self << s) | (self >> (64 - s))
    }
}
