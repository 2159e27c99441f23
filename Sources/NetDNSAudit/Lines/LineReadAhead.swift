import CNetDNSShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The vector line index of a whole stretch of bytes, made ahead of time (on the reading
/// thread of a ``LineReadAhead``): every newline, `lookup ` needle and fault text of the
/// stretch, as ``LineBatch`` would list them, so that the analysing thread only decodes.
struct PreparedLineIndex {
    /// The offsets of the newlines, in order.
    var newlines: UnsafeBufferPointer<UInt32>
    /// The offsets where the needle starts, in order.
    var hits: UnsafeBufferPointer<UInt32>
    /// The offsets where a fault text starts, in order.
    var faults: UnsafeBufferPointer<UInt32>
    /// How many bytes were indexed (every needle starting in them is listed).
    var scanned: Int

    /// The index of `region` (the triage's `lookup ` needle, and the fault texts) into the
    /// lists `newlines`, `hits` and `faults`, as far as they hold it (see ``scanned``).
    static func make(_ region: UnsafeRawBufferPointer, newlines: UnsafeMutableBufferPointer<UInt32>,
                     hits: UnsafeMutableBufferPointer<UInt32>, faults: UnsafeMutableBufferPointer<UInt32>) -> PreparedLineIndex {
        var hitCount = 0
        var faultCount = 0
        var scanned = 0
        let needle = MessageTriage.failureNeedleText
        let rare = MessageTriage.failureNeedleRareIndices
        let found = netdns_index_lines(region.baseAddress, region.count, newlines.baseAddress, newlines.count,
                                       needle.utf8Start, needle.utf8CodeUnitCount, rare.0, rare.1,
                                       hits.baseAddress, min(hits.count, faults.count), &hitCount,
                                       faults.baseAddress, &faultCount, &scanned)
        return PreparedLineIndex(newlines: UnsafeBufferPointer(start: newlines.baseAddress, count: found),
                                 hits: UnsafeBufferPointer(start: hits.baseAddress, count: hitCount),
                                 faults: UnsafeBufferPointer(start: faults.baseAddress, count: faultCount),
                                 scanned: scanned)
    }
}

/// Reads a stream on a thread of its own, a few slots ahead, and indexes each slot's lines
/// there (standard input with more than one job: the pipe's copy and the line index take
/// about a third of a single thread's time).
///
/// The bytes arrive in the order read, each slot with its ``PreparedLineIndex``; a read error
/// comes after the bytes before it. The consumer hands a slot back with ``release()`` before
/// asking for the next. Memory: ``slots`` slots of ``slotBytes`` and their index lists.
final class LineReadAhead: @unchecked Sendable {
    static let slots = 8
    /// Small enough that a slot is still in the cache when it is decoded.
    static let defaultSlotBytes = 256 << 10
    let slotBytes: Int

    private var source: any ByteSource
    private let data: [UnsafeMutableRawBufferPointer]
    private let newlines: [UnsafeMutableBufferPointer<UInt32>]
    private let hits: [UnsafeMutableBufferPointer<UInt32>]
    private let faults: [UnsafeMutableBufferPointer<UInt32>]
    /// Per slot: the bytes it holds and their index (written by the reading thread before it
    /// hands the slot over, read by the consumer after).
    private let counts: UnsafeMutablePointer<Int>
    private let indexes: UnsafeMutablePointer<PreparedLineIndex>
    private var head = 0, filled = 0
    private var ended = false, stopping = false, joined = false
    private var failure: InputError?
    /// Bytes read so far.
    private(set) var bytesRead = 0
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var thread = pthread_t()

    /// Starts reading `source` (which stays the caller's to close, after ``finish()``), or
    /// returns `nil` when no thread can be started.
    init?(_ source: any ByteSource, slotBytes: Int = LineReadAhead.defaultSlotBytes) {
        self.source = source
        self.slotBytes = max(1, slotBytes)
        let bytes = self.slotBytes
        data = (0..<Self.slots).map { _ in .allocate(byteCount: bytes, alignment: 64) }
        // Every byte could be a newline or start a needle; the index pass needs 64 spare entries
        // beyond that and at least 128.
        newlines = (0..<Self.slots).map { _ in .allocate(capacity: max(bytes + 64, 128)) }
        hits = (0..<Self.slots).map { _ in .allocate(capacity: max(bytes + 64, 128)) }
        faults = (0..<Self.slots).map { _ in .allocate(capacity: max(bytes + 64, 128)) }
        counts = .allocate(capacity: Self.slots)
        counts.initialize(repeating: 0, count: Self.slots)
        indexes = .allocate(capacity: Self.slots)
        indexes.initialize(repeating: PreparedLineIndex(newlines: UnsafeBufferPointer(start: nil, count: 0),
                                                        hits: UnsafeBufferPointer(start: nil, count: 0),
                                                        faults: UnsafeBufferPointer(start: nil, count: 0), scanned: 0),
                           count: Self.slots)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
        let context = Unmanaged.passRetained(self).toOpaque()
        if pthread_create(&thread, nil, { raw in
            let reader = Unmanaged<LineReadAhead>.fromOpaque(raw!).takeRetainedValue()
            reader.produce()
            return nil
        }, context) != 0 {
            Unmanaged<LineReadAhead>.fromOpaque(context).release()
            joined = true
            return nil
        }
    }

    deinit {
        for b in data { b.deallocate() }
        for b in newlines { b.deallocate() }
        for b in hits { b.deallocate() }
        for b in faults { b.deallocate() }
        counts.deallocate()
        indexes.deallocate()
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        cond.deallocate()
    }

    private func produce() {
        var tail = 0
        while true {
            pthread_mutex_lock(mutex)
            while filled == Self.slots && !stopping { pthread_cond_wait(cond, mutex) }
            if stopping { pthread_mutex_unlock(mutex); return }
            pthread_mutex_unlock(mutex)
            // Fill the slot (a pipe hands over what it has), then index it.
            let buffer = data[tail]
            var n = 0
            var error: InputError? = nil
            while n < buffer.count {
                do {
                    let got = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer.baseAddress! + n, count: buffer.count - n))
                    if got == 0 { break }
                    n += got
                } catch let e {
                    error = e
                    break
                }
            }
            if n > 0 {
                indexes[tail] = PreparedLineIndex.make(UnsafeRawBufferPointer(start: buffer.baseAddress, count: n),
                                                       newlines: newlines[tail], hits: hits[tail], faults: faults[tail])
                counts[tail] = n
            }
            let short = n < buffer.count
            pthread_mutex_lock(mutex)
            if n > 0 {
                tail = (tail + 1) % Self.slots
                filled += 1
            }
            if let error { failure = error }
            // A slot not filled: the end of the stream, or an error.
            if short { ended = true }
            pthread_cond_broadcast(cond)
            pthread_mutex_unlock(mutex)
            if short { return }
        }
    }

    /// The next slot's bytes and index, `nil` at the end; a read error is thrown after the bytes
    /// before it. Hand the slot back with ``release()``.
    func next() throws(InputError) -> (bytes: UnsafeRawBufferPointer, index: PreparedLineIndex)? {
        pthread_mutex_lock(mutex)
        while filled == 0 && !ended { pthread_cond_wait(cond, mutex) }
        guard filled > 0 else {
            let error = failure
            failure = nil
            pthread_mutex_unlock(mutex)
            if let error { throw error }
            return nil
        }
        let slot = head
        pthread_mutex_unlock(mutex)
        bytesRead += counts[slot]
        return (UnsafeRawBufferPointer(start: data[slot].baseAddress, count: counts[slot]), indexes[slot])
    }

    /// Hands the slot of the last ``next()`` back to the reading thread.
    func release() {
        pthread_mutex_lock(mutex)
        head = (head + 1) % Self.slots
        filled -= 1
        pthread_cond_broadcast(cond)
        pthread_mutex_unlock(mutex)
    }

    /// Stops the reading thread (it ends its current read first) and waits for it.
    func finish() {
        guard !joined else { return }
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_broadcast(cond)
        pthread_mutex_unlock(mutex)
        pthread_join(thread, nil)
        joined = true
    }
}
