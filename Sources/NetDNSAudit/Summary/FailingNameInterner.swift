/// The failing names of one stream, each held once by its bytes and known by a small number
/// (its id, in the order first kept): the instances' ``FailingNameTable``s count ids, so a
/// failure costs one lookup in this table (small: an outage fails the same few hundred names
/// in every pod) and one in its instance's table of ids, and no `String`.
///
/// Only ASCII names are interned (see ``FailingNameTable``), and only names some instance
/// keeps: at most ``NameTally/capacity`` per instance row, so hostile input cannot grow it
/// beyond what the rows already bound.
final class FailingNameInterner {
    /// One slot of the open-addressing table: the name's hash, where its bytes start in the
    /// arena, its id + 1 (0: an empty slot) and its length.
    private struct Slot {
        var hash: UInt64 = 0
        var offset = 0
        var idPlusOne: UInt32 = 0
        var length: UInt32 = 0
    }

    private var slots: UnsafeMutablePointer<Slot>
    private var capacity: Int
    private var arena: UnsafeMutableRawPointer
    private var arenaCapacity: Int
    private var arenaUsed = 0
    /// Where each id's bytes start in the arena, and their length.
    private var spans: [(offset: Int, length: Int)] = []

    /// Names held.
    var count: Int { spans.count }

    init() {
        capacity = 64
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(), count: capacity)
        arenaCapacity = 1024
        arena = .allocate(byteCount: arenaCapacity, alignment: 8)
    }

    deinit {
        slots.deallocate()
        arena.deallocate()
    }

    /// The hash ``id(of:hash:)`` and ``intern(_:hash:)`` take.
    @inline(__always)
    static func hash(_ name: UnsafeRawBufferPointer) -> UInt64 { InstanceTable.hash(name, 0) }

    /// ``hash(_:)``, and whether the name is ASCII, from one pass over its words.
    @inline(__always)
    static func hashIfASCII(_ name: UnsafeRawBufferPointer) -> (hash: UInt64, isASCII: Bool) {
        var bits: UInt64 = 0
        let hash = InstanceTable.hash(name, 0, orOfWords: &bits)
        return (hash, bits & 0x8080_8080_8080_8080 == 0)
    }

    /// The id of `name` (not empty), or `nil` when it is not held.
    @inline(__always)
    func id(of name: UnsafeRawBufferPointer, hash: UInt64) -> Int? {
        let n = name.count
        let mask = capacity - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[i]
            if slot.idPlusOne == 0 { return nil }
            if slot.hash == hash, Int(slot.length) == n, InstanceTable.sameBytes(arena + slot.offset, name.baseAddress!, n) {
                return Int(slot.idPlusOne) - 1
            }
            i = (i + 1) & mask
        }
    }

    /// The id of `name` (not empty), added when it is new.
    func intern(_ name: UnsafeRawBufferPointer, hash: UInt64) -> Int {
        if let id = id(of: name, hash: hash) { return id }
        let n = name.count
        if arenaUsed + n > arenaCapacity {
            let bigger = max(arenaCapacity * 2, arenaUsed + n)
            let grown = UnsafeMutableRawPointer.allocate(byteCount: bigger, alignment: 8)
            grown.copyMemory(from: arena, byteCount: arenaUsed)
            arena.deallocate()
            arena = grown
            arenaCapacity = bigger
        }
        (arena + arenaUsed).copyMemory(from: name.baseAddress!, byteCount: n)
        let id = spans.count
        spans.append((arenaUsed, n))
        place(Slot(hash: hash, offset: arenaUsed, idPlusOne: UInt32(truncatingIfNeeded: id + 1), length: UInt32(truncatingIfNeeded: n)))
        arenaUsed += n
        if spans.count * 2 > capacity { grow() }
        return id
    }

    /// The bytes of the name with id `id` (valid until the next ``intern(_:hash:)``).
    func name(_ id: Int) -> UnsafeRawBufferPointer {
        let span = spans[id]
        return UnsafeRawBufferPointer(start: arena + span.offset, count: span.length)
    }

    /// The name with id `id` as a `String`.
    func string(_ id: Int) -> String { name(id).string }

    private func place(_ slot: Slot) {
        let mask = capacity - 1
        var i = Int(truncatingIfNeeded: slot.hash) & mask
        while slots[i].idPlusOne != 0 { i = (i + 1) & mask }
        slots[i] = slot
    }

    private func grow() {
        let old = slots, oldCapacity = capacity
        capacity *= 2
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(), count: capacity)
        for j in 0..<oldCapacity where old[j].idPlusOne != 0 { place(old[j]) }
        old.deallocate()
    }
}
