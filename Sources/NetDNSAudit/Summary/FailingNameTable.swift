/// The failing names of one instance while its stream is read, keyed by their bytes: an
/// open-addressing table whose entries hold short names in place (one cache line per lookup)
/// and longer ones in an arena, so counting a failure makes no `String` and hashes no `String`.
/// A `String` is made once per distinct name, when the instance's summary is built (``tally``).
///
/// It reaches exactly the state ``NameTally/add(_:_:)`` would: the same ``NameTally/capacity``,
/// and a new name beyond it counted in `foldedNames` and `foldedFailures` each time it is seen.
/// Byte equality is `String` equality only for ASCII (Unicode equivalence makes different bytes
/// equal strings), so the first name with a byte of 0x80 or more moves the counts into a
/// ``NameTally``, which counts the instance's further names.
final class FailingNameTable {
    /// One entry: hash (8 bytes), count (8), length (4, 0 when empty), arena offset (4), then
    /// the name itself when it is at most ``inlineBytes`` long.
    static let entryBytes = 64
    static let inlineBytes = 40

    private var entries: UnsafeMutableRawPointer
    private var capacity: Int
    private var arena: UnsafeMutableRawPointer
    private var arenaCapacity: Int
    private var arenaUsed = 0
    /// Distinct names held.
    private(set) var count = 0
    private var foldedNames = 0
    private var foldedFailures = 0
    /// The names once one is not ASCII.
    private var strings: NameTally?

    init() {
        capacity = 16
        entries = Self.allocateEntries(capacity)
        arenaCapacity = 0
        arena = .allocate(byteCount: 1, alignment: 8)
    }

    deinit {
        entries.deallocate()
        arena.deallocate()
    }

    private static func allocateEntries(_ n: Int) -> UnsafeMutableRawPointer {
        let p = UnsafeMutableRawPointer.allocate(byteCount: n * entryBytes, alignment: 64)
        p.initializeMemory(as: UInt8.self, repeating: 0, count: n * entryBytes)
        return p
    }

    @inline(__always) private func entry(_ i: Int) -> UnsafeMutableRawPointer { entries + i * Self.entryBytes }
    @inline(__always) private static func length(_ e: UnsafeMutableRawPointer) -> Int { Int(e.load(fromByteOffset: 16, as: Int32.self)) }
    @inline(__always) private func nameBytes(_ e: UnsafeMutableRawPointer, _ n: Int) -> UnsafeRawPointer {
        n <= Self.inlineBytes ? UnsafeRawPointer(e + 24) : UnsafeRawPointer(arena + Int(e.load(fromByteOffset: 20, as: Int32.self)))
    }

    /// Counts one failure of the name `name` (not empty, at most a few hundred bytes).
    @inline(__always)
    func add(_ name: UnsafeRawBufferPointer) {
        if strings != nil {
            strings!.add(name.string)
            return
        }
        guard Self.isASCII(name) else {
            strings = tally
            strings!.add(name.string)
            return
        }
        let n = name.count
        let hash = InstanceTable.hash(name, 0)
        let mask = capacity - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let e = entry(i)
            let length = Self.length(e)
            if length == 0 { break }
            if e.load(as: UInt64.self) == hash, length == n, InstanceTable.sameBytes(nameBytes(e, n), name.baseAddress!, n) {
                e.storeBytes(of: e.load(fromByteOffset: 8, as: Int.self) + 1, toByteOffset: 8, as: Int.self)
                return
            }
            i = (i + 1) & mask
        }
        guard count < NameTally.capacity else {
            foldedNames += 1
            foldedFailures += 1
            return
        }
        insert(name, hash: hash, at: i)
    }

    private func insert(_ name: UnsafeRawBufferPointer, hash: UInt64, at index: Int) {
        let n = name.count
        let e = entry(index)
        e.storeBytes(of: hash, as: UInt64.self)
        e.storeBytes(of: 1, toByteOffset: 8, as: Int.self)
        e.storeBytes(of: Int32(n), toByteOffset: 16, as: Int32.self)
        if n <= Self.inlineBytes {
            (e + 24).copyMemory(from: name.baseAddress!, byteCount: n)
        } else {
            if arenaUsed + n > arenaCapacity {
                let bigger = max(arenaCapacity * 2, arenaUsed + n, 1024)
                let grown = UnsafeMutableRawPointer.allocate(byteCount: bigger, alignment: 8)
                grown.copyMemory(from: arena, byteCount: arenaUsed)
                arena.deallocate()
                arena = grown
                arenaCapacity = bigger
            }
            (arena + arenaUsed).copyMemory(from: name.baseAddress!, byteCount: n)
            e.storeBytes(of: Int32(arenaUsed), toByteOffset: 20, as: Int32.self)
            arenaUsed += n
        }
        count += 1
        if count * 2 > capacity { grow() }
    }

    private func grow() {
        let old = entries, oldCapacity = capacity
        capacity *= 2
        entries = Self.allocateEntries(capacity)
        let mask = capacity - 1
        for j in 0..<oldCapacity {
            let from = old + j * Self.entryBytes
            guard Self.length(from) != 0 else { continue }
            var i = Int(truncatingIfNeeded: from.load(as: UInt64.self)) & mask
            while Self.length(entry(i)) != 0 { i = (i + 1) & mask }
            entry(i).copyMemory(from: from, byteCount: Self.entryBytes)
        }
        old.deallocate()
    }

    /// The names as a ``NameTally``: one `String` per distinct name.
    var tally: NameTally {
        if let strings { return strings }
        var counts = [String: Int](minimumCapacity: count)
        for i in 0..<capacity {
            let e = entry(i)
            let n = Self.length(e)
            guard n != 0 else { continue }
            counts[UnsafeRawBufferPointer(start: nameBytes(e, n), count: n).string] = e.load(fromByteOffset: 8, as: Int.self)
        }
        return NameTally(counts: counts, foldedNames: foldedNames, foldedFailures: foldedFailures)
    }

    /// Whether every byte is below 0x80: eight at a time.
    @inline(__always)
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        guard let base = bytes.baseAddress else { return true }
        var i = 0
        var high: UInt64 = 0
        while i + 8 <= n {
            high |= base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < n {
            high |= UInt64(base.load(fromByteOffset: i, as: UInt8.self))
            i += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }
}
