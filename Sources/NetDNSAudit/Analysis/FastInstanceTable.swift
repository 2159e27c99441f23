/// The instances of the kubectl fast path: each key with its slot and its per-line counters in
/// one bucket, and the key's bytes at a place computed from the bucket's index.
///
/// A lookup of the commonest line therefore waits for at most one cache miss (the bucket and
/// the key bytes are fetched in parallel), where ``InstanceKeyTable`` and the counters array
/// cost three misses in a row once the streamed log has pushed them out of the first-level
/// cache. Keys longer than ``keyCapacity`` are not kept: their lines take the general path.
final class FastInstanceTable {
    struct Bucket {
        var hash: UInt64 = 0
        /// The instance slot, or -1 for an empty bucket.
        var slot: Int32 = -1
        var length: Int32 = 0
        var counters = StreamAnalyzer.HotCounters()
    }

    /// The envelope whose keys are kept (kubectl's), also the seed of their hashes.
    let envelopeIndex = StreamAnalyzer.kubectlIndex

    /// The longest key kept.
    static let keyCapacity = 128

    private(set) var buckets: UnsafeMutablePointer<Bucket>
    private var keys: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private(set) var count = 0
    /// The bucket of each slot, or -1.
    private var bucketOfSlot: [Int] = []

    /// Starts tiny (a stream that is not kubectl never grows it: watch keeps a stream per file).
    init(capacity: Int = 1) {
        self.capacity = capacity
        buckets = .allocate(capacity: capacity)
        buckets.initialize(repeating: Bucket(), count: capacity)
        keys = .allocate(byteCount: capacity * Self.keyCapacity, alignment: 64)
    }

    deinit {
        buckets.deallocate()
        keys.deallocate()
    }

    /// The bucket index of `key`, or `nil`.
    @inline(__always)
    func find(_ key: UnsafeRawBufferPointer) -> Int? {
        let n = key.count
        guard n <= Self.keyCapacity, n >= 8, let base = key.baseAddress else { return nil }
        let hash = InstanceKeyTable.hash(key, envelopeIndex)
        let mask = capacity - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let bucket = buckets[i]
            if bucket.slot < 0 { return nil }
            if bucket.hash == hash, Int(bucket.length) == n,
               InstanceKeyTable.sameBytes(keys + i * Self.keyCapacity, base, n) {
                return i
            }
            i = (i + 1) & mask
        }
    }

    /// Adds the key of a new instance (longer or shorter keys than the table keeps are skipped).
    func insert(_ key: UnsafeRawBufferPointer, slot: Int) {
        guard key.count <= Self.keyCapacity, key.count >= 8, find(key) == nil else { return }
        while (count + 1) * 4 > capacity { grow() }
        place(hash: InstanceKeyTable.hash(key, envelopeIndex), key: key, bucket: Bucket(slot: Int32(slot), length: Int32(key.count)))
        count += 1
    }

    /// Mirrors a slot's pending torn line, which the fast path must see.
    func setTornPending(_ pending: Bool, slot: Int) {
        guard slot < bucketOfSlot.count, bucketOfSlot[slot] >= 0 else { return }
        buckets[bucketOfSlot[slot]].counters.tornPending = pending
    }

    /// Moves the counters gathered here into `hot` (by slot) and zeroes them.
    func drain(into hot: inout [StreamAnalyzer.HotCounters]) {
        for i in 0..<capacity where buckets[i].slot >= 0 {
            hot[Int(buckets[i].slot)].add(buckets[i].counters)
            buckets[i].counters = StreamAnalyzer.HotCounters(tornPending: buckets[i].counters.tornPending)
        }
    }

    private func place(hash: UInt64, key: UnsafeRawBufferPointer, bucket: Bucket) {
        var bucket = bucket
        bucket.hash = hash
        let mask = capacity - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while buckets[i].slot >= 0 { i = (i + 1) & mask }
        buckets[i] = bucket
        (keys + i * Self.keyCapacity).copyMemory(from: key.baseAddress!, byteCount: key.count)
        let slot = Int(bucket.slot)
        if slot >= bucketOfSlot.count { bucketOfSlot += Array(repeating: -1, count: slot + 1 - bucketOfSlot.count) }
        bucketOfSlot[slot] = i
    }

    private func grow() {
        let oldBuckets = buckets, oldKeys = keys, oldCapacity = capacity
        capacity *= 2
        buckets = .allocate(capacity: capacity)
        buckets.initialize(repeating: Bucket(), count: capacity)
        keys = .allocate(byteCount: capacity * Self.keyCapacity, alignment: 64)
        for i in 0..<oldCapacity where oldBuckets[i].slot >= 0 {
            let b = oldBuckets[i]
            place(hash: b.hash, key: UnsafeRawBufferPointer(start: oldKeys + i * Self.keyCapacity, count: Int(b.length)), bucket: b)
        }
        oldBuckets.deallocate()
        oldKeys.deallocate()
    }
}
