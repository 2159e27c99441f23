/// The failing names of one instance while its stream is read: how often each failed, keyed by
/// the name's id in the stream's ``FailingNameInterner``, so counting a failure makes no
/// `String`, hashes no `String`, and touches one 4-byte count: ids are numbered from 0 in the
/// order first kept, so the small ones index an array (an instance's names as bytes took tens of
/// KiB, and the tables of hundreds of instances missed the cache on every failure). A `String`
/// is made once per distinct name, when the instance's summary is built (``tally(_:)``).
///
/// It reaches exactly the state ``NameTally/add(_:_:)`` would: the same ``NameTally/capacity``,
/// and a new name beyond it counted in `foldedNames` and `foldedFailures` each time it is seen.
/// Byte equality is `String` equality only for ASCII (Unicode equivalence makes different bytes
/// equal strings), so the first name with a byte of 0x80 or more moves the counts into a
/// ``NameTally``, which counts the instance's further names.
final class FailingNameTable {
    /// Ids below this are counted in ``dense`` (at most 4 KiB per instance); the rest, in the
    /// open-addressing ``entries``.
    static let denseIds = 1024

    /// The count of each id below `denseCapacity` (0: not held). An outage fails the same
    /// names in every pod, so their ids are small and most instances need only this.
    private var dense: UnsafeMutablePointer<UInt32>
    private var denseCapacity: Int
    /// Open addressing over ids of ``denseIds`` and more: an entry is `count << 32 | (id + 1)`,
    /// 0 when empty (ids stay far below 2^32: an interner holds at most
    /// ``NameTally/capacity`` names per row). Made when the first such id is counted.
    private var entries: UnsafeMutablePointer<UInt64>? = nil
    private var capacity = 0
    /// Ids held in ``entries``.
    private var entryCount = 0
    /// `32 - log2(capacity)`: the Fibonacci hash of an id is its product's top bits.
    private var shift: UInt32 = 32
    /// Counts beyond what a dense count or an entry's 32 bits hold, by id (a name failing
    /// 2^32 times).
    private var overflow: [Int: Int] = [:]
    /// Distinct names held.
    private(set) var count = 0
    private var foldedNames = 0
    private var foldedFailures = 0
    /// The names once one is not ASCII.
    private var strings: NameTally?

    init() {
        denseCapacity = 64
        dense = .allocate(capacity: denseCapacity)
        dense.initialize(repeating: 0, count: denseCapacity)
    }

    deinit {
        dense.deallocate()
        entries?.deallocate()
    }

    /// Counts one failure of the name `name` (not empty, at most a few hundred bytes), whose
    /// bytes `names` holds (or will hold) for the whole stream.
    @inline(__always)
    func add(_ name: UnsafeRawBufferPointer, names: FailingNameInterner) {
        if strings != nil {
            strings!.add(name.string)
            return
        }
        let (hash, isASCII) = FailingNameInterner.hashIfASCII(name)
        guard isASCII else {
            strings = tally(names)
            strings!.add(name.string)
            return
        }
        if count < NameTally.capacity {
            bump(names.intern(name, hash: hash), mayInsert: true)
        } else if let id = names.id(of: name, hash: hash), bump(id, mayInsert: false) {
            return
        } else {
            foldedNames += 1
            foldedFailures += 1
        }
    }

    /// Adds one to the count of `id`; inserts it when it is new and `mayInsert`. Returns
    /// whether it counted.
    @inline(__always)
    @discardableResult
    private func bump(_ id: Int, mayInsert: Bool) -> Bool {
        if id < denseCapacity {
            let c = dense[id]
            if c == 0 {
                guard mayInsert else { return false }
                count += 1
                dense[id] = 1
            } else if c == UInt32.max {
                overflow[id, default: 0] += Int(c) - 1
                dense[id] = 2
            } else {
                dense[id] = c &+ 1
            }
            return true
        }
        // No id at or above `denseCapacity` and below `denseIds` is held.
        if id < Self.denseIds {
            guard mayInsert else { return false }
            growDense(toHold: id)
            count += 1
            dense[id] = 1
            return true
        }
        return bumpEntry(id, mayInsert: mayInsert)
    }

    private func growDense(toHold id: Int) {
        let bigger = min(Self.denseIds, max(denseCapacity * 2, (id + 64) & ~63))
        let grown = UnsafeMutablePointer<UInt32>.allocate(capacity: bigger)
        grown.initialize(from: dense, count: denseCapacity)
        (grown + denseCapacity).initialize(repeating: 0, count: bigger - denseCapacity)
        dense.deallocate()
        dense = grown
        denseCapacity = bigger
    }

    @inline(__always)
    private func home(_ id: Int) -> Int { Int((UInt32(truncatingIfNeeded: id) &* 0x9E37_79B9) >> shift) }

    private func bumpEntry(_ id: Int, mayInsert: Bool) -> Bool {
        if entries == nil {
            guard mayInsert else { return false }
            capacity = 16
            shift = 28
            entries = .allocate(capacity: capacity)
            entries!.initialize(repeating: 0, count: capacity)
        }
        let entries = entries!
        let key = UInt64(truncatingIfNeeded: id + 1)
        let mask = capacity - 1
        var i = home(id)
        while true {
            let e = entries[i]
            if e == 0 { break }
            if e & 0xFFFF_FFFF == key {
                if e >> 32 == 0xFFFF_FFFF {
                    overflow[id, default: 0] += 1 << 32
                    entries[i] = key
                } else {
                    entries[i] = e &+ (1 << 32)
                }
                return true
            }
            i = (i + 1) & mask
        }
        guard mayInsert else { return false }
        entries[i] = key | (1 << 32)
        count += 1
        entryCount += 1
        if entryCount * 4 > capacity * 3 { growEntries() }
        return true
    }

    private func growEntries() {
        guard let old = entries else { return }
        let oldCapacity = capacity
        capacity *= 2
        shift -= 1
        let grown = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        grown.initialize(repeating: 0, count: capacity)
        let mask = capacity - 1
        for j in 0..<oldCapacity where old[j] != 0 {
            var i = home(Int(old[j] & 0xFFFF_FFFF) - 1)
            while grown[i] != 0 { i = (i + 1) & mask }
            grown[i] = old[j]
        }
        old.deallocate()
        entries = grown
    }

    /// The names as a ``NameTally``: one `String` per distinct name.
    func tally(_ names: FailingNameInterner) -> NameTally {
        if let strings { return strings }
        var counts = [String: Int](minimumCapacity: count)
        for id in 0..<denseCapacity where dense[id] != 0 {
            counts[names.string(id)] = Int(dense[id]) + overflow[id, default: 0]
        }
        if let entries {
            for i in 0..<capacity where entries[i] != 0 {
                let id = Int(entries[i] & 0xFFFF_FFFF) - 1
                counts[names.string(id)] = Int(entries[i] >> 32) + overflow[id, default: 0]
            }
        }
        return NameTally(counts: counts, foldedNames: foldedNames, foldedFailures: foldedFailures)
    }
}
