#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The instances of one stream, for every envelope: (envelope index, instance key bytes) to a
/// slot, with each slot's per-line counters in its bucket.
///
/// Open addressing over a power-of-two table; a key of up to ``inlineKeyBytes`` bytes lives at a
/// place computed from its bucket's index, so a lookup of the commonest line waits for at most
/// one cache miss (the bucket and the key bytes are fetched in parallel). Longer keys live in an
/// arena. Beyond ``detailedLimit`` instances, new ones are folded into one row per service (and
/// beyond ``foldedServiceLimit`` services into one row), so hostile cardinality cannot exhaust
/// memory; a folded row has a bucket of its own, keyed by its identity.
final class InstanceTable {
    /// What every line of an instance changes.
    struct Counters: Equatable {
        var lines = 0
        var firstSeen = Int64.max
        var lastSeen = Int64.min
        /// Whether a torn trace start of the instance waits for its rest.
        var tornPending = false
        /// Whether a goroutine dump of the instance is going on (``Row/dump``).
        var dumpActive = false

        @inline(__always)
        mutating func noteTimestamp(_ t: Int64) {
            if t < firstSeen { firstSeen = t }
            if t > lastSeen { lastSeen = t }
        }
    }

    struct Bucket {
        var hash: UInt64 = 0
        /// The instance slot, or -1 for an empty bucket.
        var slot: Int32 = -1
        var length: Int32 = 0
        var envelopeIndex: Int32 = 0
        /// Where a key longer than ``inlineKeyBytes`` starts in the arena.
        var arenaOffset: Int32 = 0
        var counters = Counters()
    }

    /// The rest of an instance: its summary and what a range cut must carry.
    struct Row {
        var summary: InstanceSummary
        var pendingTorn: PendingTorn?
        var envelopeIndex: Int
        /// The key bytes (empty for a folded row).
        var key: [UInt8]
        /// The bucket holding the row's counters.
        var bucket: Int
        /// The failing names counted so far, by their ids (made at the first failure; its
        /// ``InstanceCounters`` block holds it unretained, so counting a failure costs no retain
        /// and release); the summary's ``InstanceSummary/failingNames`` comes from it in
        /// ``summary(ofSlot:)``.
        var failingNames: FailingNameTable? = nil
        /// The instance's goroutine dump in progress, if any (see `InstanceRecorder+Faults.swift`).
        var dump = GoroutineDumpTracker()
    }

    /// A torn `hostLookupOrder(` start waiting for its rest.
    struct PendingTorn {
        var direction: LookupDirection
        var fragment: [UInt8]
        var age: Int
    }

    /// The longest key kept next to its bucket.
    static let inlineKeyBytes = 128
    /// Instances kept one by one.
    static let detailedLimit = 2_000
    /// Services with a folded row; beyond this, further services share one row.
    static let foldedServiceLimit = 1_000
    /// The envelope index of folded rows' buckets (no envelope has it).
    static let foldedRowsIndex = Int(Int32.min)

    private(set) var buckets: UnsafeMutablePointer<Bucket>
    private var keys: UnsafeMutableRawPointer
    private var arena: [UInt8] = []
    private(set) var capacity: Int
    private var count = 0
    private(set) var rows: [Row] = []
    /// Each row's ``InstanceCounters`` block, in slot order (``InstanceCounters/words`` words
    /// per slot, 64-byte aligned), room for `blockCapacity` slots.
    private var blocks: UnsafeMutablePointer<Int>
    private var blockCapacity: Int
    private var detailed = 0
    private var foldedServices = 0
    /// Fingerprints of the instances already folded, to count each once.
    private var foldedKeys = Set<Int>()
    /// The name of the stream's file, listed in each instance's files.
    let fileName: String
    /// The failing names of every row, by their bytes (made at the first failure).
    private let failingNameIds = FailingNameInterner()

    /// Starts tiny (watch keeps a stream per followed file, most with one instance).
    init(fileName: String, capacity: Int = 4) {
        self.fileName = fileName
        self.capacity = capacity
        buckets = .allocate(capacity: capacity)
        buckets.initialize(repeating: Bucket(), count: capacity)
        keys = .allocate(byteCount: capacity * Self.inlineKeyBytes, alignment: 64)
        blockCapacity = 4
        blocks = Self.allocateBlocks(blockCapacity)
    }

    deinit {
        buckets.deallocate()
        keys.deallocate()
        blocks.deallocate()
    }

    // MARK: Lookup

    /// The bucket of `key`, or `nil` when the instance is new.
    @inline(__always)
    func find(_ key: UnsafeRawBufferPointer, envelopeIndex: Int) -> Int? {
        let n = key.count
        let hash = Self.hash(key, envelopeIndex)
        let mask = capacity - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let bucket = buckets[i]
            if bucket.slot < 0 { return nil }
            if bucket.hash == hash, Int(bucket.length) == n, Int(bucket.envelopeIndex) == envelopeIndex,
               n == 0 || Self.sameBytes(keyBytes(of: i, bucket), key.baseAddress!, n) {
                return i
            }
            i = (i + 1) & mask
        }
    }

    @inline(__always)
    private func keyBytes(of index: Int, _ bucket: Bucket) -> UnsafeRawPointer {
        if Int(bucket.length) <= Self.inlineKeyBytes { return UnsafeRawPointer(keys + index * Self.inlineKeyBytes) }
        return arena.withUnsafeBytes { $0.baseAddress! + Int(bucket.arenaOffset) }
    }

    /// The bucket of a new key: a new detailed row, or the folded row of its service once
    /// ``detailedLimit`` instances are kept (a folded instance's key is not remembered: each of
    /// its lines finds its row again through `identity`).
    func add(_ key: UnsafeRawBufferPointer, envelopeIndex: Int, identity: InstanceIdentity) -> Int {
        guard detailed < Self.detailedLimit else { return foldedBucket(identity, key: key, envelopeIndex: envelopeIndex) }
        detailed += 1
        var summary = InstanceSummary(identity: identity)
        summary.files = [fileName]
        return newRow(summary, key: key, envelopeIndex: envelopeIndex, keepKey: true)
    }

    private func newRow(_ summary: InstanceSummary, key: UnsafeRawBufferPointer, envelopeIndex: Int, keepKey: Bool) -> Int {
        let slot = rows.count
        rows.append(Row(summary: summary, pendingTorn: nil, envelopeIndex: envelopeIndex, key: keepKey ? Array(key) : [], bucket: -1))
        if slot == blockCapacity { growBlocks() }
        while (count + 1) * 4 > capacity { grow() }
        var bucket = Bucket(hash: Self.hash(key, envelopeIndex), slot: Int32(slot), length: Int32(key.count),
                            envelopeIndex: Int32(truncatingIfNeeded: envelopeIndex))
        if key.count > Self.inlineKeyBytes {
            bucket.arenaOffset = Int32(arena.count)
            arena.append(contentsOf: key)
        }
        let index = place(bucket, key: key.baseAddress)
        count += 1
        return index
    }

    private func foldedBucket(_ identity: InstanceIdentity, key: UnsafeRawBufferPointer, envelopeIndex: Int) -> Int {
        var row = InstanceIdentity(service: identity.service, name: InstanceSummary.foldedRowName, namespace: identity.namespace)
        var rowKey = Array("\(row.service)\u{0}\(row.namespace ?? "")".utf8)
        var index = rowKey.withUnsafeBytes { find($0, envelopeIndex: Self.foldedRowsIndex) }
        if index == nil, foldedServices >= Self.foldedServiceLimit {
            // So many services that their rows are folded too.
            row = InstanceIdentity(service: InstanceSummary.foldedRowName, name: InstanceSummary.foldedRowName)
            rowKey = [0xFF]
            index = rowKey.withUnsafeBytes { find($0, envelopeIndex: Self.foldedRowsIndex) }
        }
        if index == nil {
            if rowKey != [0xFF] { foldedServices += 1 }
            var summary = InstanceSummary(identity: row)
            summary.files = [fileName]
            index = rowKey.withUnsafeBytes { newRow(summary, key: $0, envelopeIndex: Self.foldedRowsIndex, keepKey: false) }
            rows[rows.count - 1].envelopeIndex = envelopeIndex
        }
        var hasher = Hasher()
        hasher.combine(envelopeIndex)
        hasher.combine(bytes: key)
        let bucket = index!
        if foldedKeys.insert(hasher.finalize()).inserted { rows[Int(buckets[bucket].slot)].summary.foldedInstances += 1 }
        return bucket
    }

    // MARK: Rows

    /// The slot of a bucket.
    @inline(__always)
    func slot(ofBucket bucket: Int) -> Int { Int(buckets[bucket].slot) }

    /// Sets or clears a slot's pending torn start (mirrored in its bucket, which lines read).
    func setPendingTorn(_ pending: PendingTorn?, slot: Int) {
        rows[slot].pendingTorn = pending
        buckets[rows[slot].bucket].counters.tornPending = pending != nil
    }

    /// Follows a message of the slot's goroutine dump (whether one is going on is mirrored in
    /// its bucket, which lines read).
    func followDump(_ message: UnsafeRawBufferPointer, slot: Int) -> GoroutineDumpTracker.Outcome {
        let outcome = rows[slot].dump.consume(message)
        buckets[rows[slot].bucket].counters.dumpActive = rows[slot].dump.active
        return outcome
    }

    /// Mutates a slot's summary in place.
    @inline(__always)
    func withSummary<T>(_ slot: Int, _ body: (inout InstanceSummary) -> T) -> T {
        body(&rows[slot].summary)
    }

    /// The ``InstanceCounters`` of a slot (valid until the next new row).
    @inline(__always)
    func counters(_ slot: Int) -> InstanceCounters { InstanceCounters(block: blocks + slot * InstanceCounters.words) }

    /// Counts a failure of the name `name`, of `shape` and `failureClass`, in a slot's counters.
    @inline(__always)
    func addFailure(_ name: UnsafeRawBufferPointer, _ shape: FailureShape, _ failureClass: FailureClass, counters: InstanceCounters, slot: Int) {
        counters.addFailure(shape, failureClass)
        let names: Unmanaged<FailingNameTable>
        if let held = counters.names {
            names = held
        } else {
            let table = FailingNameTable()
            rows[slot].failingNames = table
            counters.setNames(table)
            names = Unmanaged.passUnretained(table)
        }
        names._withUnsafeGuaranteedRef { $0.add(name, names: failingNameIds) }
    }

    /// The summary of a slot, with its bucket's counters, its ``InstanceCounters`` and its
    /// failing names folded in.
    func summary(ofSlot slot: Int) -> InstanceSummary {
        var summary = rows[slot].summary
        counters(slot).add(to: &summary)
        if let names = rows[slot].failingNames {
            if summary.failingNames == NameTally() {
                summary.failingNames = names.tally(failingNameIds)
            } else {
                summary.failingNames.merge(names.tally(failingNameIds))
            }
        }
        let counters = buckets[rows[slot].bucket].counters
        summary.lines += counters.lines
        if counters.firstSeen <= counters.lastSeen {
            summary.noteTimestamp(counters.firstSeen)
            summary.noteTimestamp(counters.lastSeen)
        }
        return summary
    }

    // MARK: Storage

    @discardableResult
    private func place(_ bucket: Bucket, key: UnsafeRawPointer?) -> Int {
        let mask = capacity - 1
        var i = Int(truncatingIfNeeded: bucket.hash) & mask
        while buckets[i].slot >= 0 { i = (i + 1) & mask }
        buckets[i] = bucket
        if Int(bucket.length) <= Self.inlineKeyBytes, bucket.length > 0, let key {
            (keys + i * Self.inlineKeyBytes).copyMemory(from: key, byteCount: Int(bucket.length))
        }
        rows[Int(bucket.slot)].bucket = i
        return i
    }

    private static func allocateBlocks(_ slots: Int) -> UnsafeMutablePointer<Int> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: slots * InstanceCounters.words * MemoryLayout<Int>.stride, alignment: 64)
        return raw.initializeMemory(as: Int.self, repeating: 0, count: slots * InstanceCounters.words)
    }

    private func growBlocks() {
        let grown = Self.allocateBlocks(blockCapacity * 2)
        grown.update(from: blocks, count: blockCapacity * InstanceCounters.words)
        blocks.deallocate()
        blocks = grown
        blockCapacity *= 2
    }

    private func grow() {
        let oldBuckets = buckets, oldKeys = keys, oldCapacity = capacity
        capacity *= 2
        buckets = .allocate(capacity: capacity)
        buckets.initialize(repeating: Bucket(), count: capacity)
        keys = .allocate(byteCount: capacity * Self.inlineKeyBytes, alignment: 64)
        for i in 0..<oldCapacity where oldBuckets[i].slot >= 0 {
            place(oldBuckets[i], key: UnsafeRawPointer(oldKeys + i * Self.inlineKeyBytes))
        }
        oldBuckets.deallocate()
        oldKeys.deallocate()
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
        var bits: UInt64 = 0
        return hash(key, seed, orOfWords: &bits)
    }

    /// ``hash(_:_:)``, also giving the OR of the words it read (every byte of the key is in
    /// one): its bits `0x80` of each byte are all clear exactly when the key is ASCII.
    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer, _ seed: Int, orOfWords bits: inout UInt64) -> UInt64 {
        let n = key.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(bitPattern: Int64(seed)) &* 31 &+ UInt64(n)
        guard let base = key.baseAddress, n > 0 else { return h }
        if n >= 8 {
            var i = 0
            var rotation: UInt64 = 0
            while i + 8 <= n {
                let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                bits |= word
                h = h &+ ((word &* 0xFF51_AFD7_ED55_8CCD) ^ (word >> 29)).rotatedLeft(by: rotation)
                rotation &+= 17
                i += 8
            }
            if i < n {
                let word = base.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
                bits |= word
                h = h &+ (word &* 0xC4CE_B9FE_1A85_EC53)
            }
        } else {
            var tail: UInt64 = 0
            for i in 0..<n { tail |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << (UInt64(i) * 8) }
            bits |= tail
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
