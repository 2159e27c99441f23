#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps (envelope index, instance key bytes) to an instance slot without allocating per lookup.
///
/// Open addressing over a power-of-two table; the key bytes live in one growing arena, so a
/// lookup hashes the bytes in place and compares them with `memcmp`.
struct InstanceKeyTable {
    struct Entry {
        var hash: UInt64
        var offset: Int
        var length: Int
        var envelopeIndex: Int
        var slot: Int
    }

    private var entries: [Entry?] = Array(repeating: nil, count: 64)
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
        return arena.withUnsafeBytes { memcmp($0.baseAddress! + ref.offset, key.baseAddress!, ref.length) == 0 }
    }

    /// The slot of a key and where its bytes are stored, or `nil`.
    func find(_ key: UnsafeRawBufferPointer, envelopeIndex: Int) -> (slot: Int, key: KeyRef)? {
        let hash = Self.hash(key, envelopeIndex)
        let mask = entries.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while let entry = entries[i] {
            if entry.hash == hash, entry.envelopeIndex == envelopeIndex, entry.length == key.count, matches(entry, key) {
                return (entry.slot, KeyRef(offset: entry.offset, length: entry.length))
            }
            i = (i + 1) & mask
        }
        return nil
    }

    /// The slot of a key, or `nil`.
    func slot(for key: UnsafeRawBufferPointer, envelopeIndex: Int) -> Int? {
        let hash = Self.hash(key, envelopeIndex)
        let mask = entries.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while let entry = entries[i] {
            if entry.hash == hash, entry.envelopeIndex == envelopeIndex, entry.length == key.count, matches(entry, key) {
                return entry.slot
            }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Adds a key that is not in the table; returns where its bytes are stored.
    @discardableResult
    mutating func insert(_ key: UnsafeRawBufferPointer, envelopeIndex: Int, slot: Int) -> KeyRef {
        if (count + 1) * 4 > entries.count * 3 { grow() }
        let offset = arena.count
        arena.append(contentsOf: key)
        place(Entry(hash: Self.hash(key, envelopeIndex), offset: offset, length: key.count, envelopeIndex: envelopeIndex, slot: slot))
        count += 1
        return KeyRef(offset: offset, length: key.count)
    }

    private func matches(_ entry: Entry, _ key: UnsafeRawBufferPointer) -> Bool {
        guard entry.length > 0 else { return true }
        return arena.withUnsafeBytes { memcmp($0.baseAddress! + entry.offset, key.baseAddress!, entry.length) == 0 }
    }

    private mutating func place(_ entry: Entry) {
        let mask = entries.count - 1
        var i = Int(truncatingIfNeeded: entry.hash) & mask
        while entries[i] != nil { i = (i + 1) & mask }
        entries[i] = entry
    }

    private mutating func grow() {
        let old = entries
        entries = Array(repeating: nil, count: old.count * 2)
        for case let entry? in old { place(entry) }
    }

    /// A fast 64-bit hash of the bytes, eight at a time.
    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer, _ seed: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(bitPattern: Int64(seed)) &+ UInt64(key.count)
        guard let base = key.baseAddress else { return h }
        var i = 0
        let n = key.count
        while i + 8 <= n {
            let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        }
        h ^= h >> 29
        return h
    }
}
