#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads another source on a thread of its own, a few buffers ahead: a gzip file is then
/// decompressed on one thread while its lines are analysed on another.
///
/// The bytes, and a read error after them, arrive in the order the inner source gave them.
/// Memory: ``slots`` buffers of ``slotBytes`` (each with ``headroomBytes`` before it). Used for
/// files only (``close()`` waits for the thread's current read, which on a pipe could wait for
/// its writer).
///
/// A reader that can analyse bytes where they are borrows a filled slot (``lend(upTo:)``)
/// instead of copying it out: the slots are small enough to stay in the caches while one
/// thread fills them and the other reads them.
public final class ReadAheadSource: ByteSource, @unchecked Sendable {
    public static let slots = 16
    public static let slotBytes = 128 << 10
    /// Writable bytes before each slot's data, for the start of a line begun in the slot before.
    public static let headroomBytes = 64 << 10

    private var inner: any ByteSource
    private let buffers: [UnsafeMutableRawBufferPointer]
    private var counts: [Int]
    private var head = 0, tail = 0, filled = 0, headOffset = 0
    private var ended = false, stopping = false, joined = false
    /// Whether the slot at `head` is lent out (handed back at the next call).
    private var lent = false
    private var error: InputError?
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var thread = pthread_t()

    /// Starts reading `inner`, which the source owns and closes in ``close()``.
    public init(_ inner: any ByteSource) {
        self.inner = inner
        buffers = (0..<Self.slots).map { _ in
            let whole = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.headroomBytes + Self.slotBytes, alignment: 64)
            return UnsafeMutableRawBufferPointer(rebasing: whole[Self.headroomBytes...])
        }
        counts = Array(repeating: 0, count: Self.slots)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
        let context = Unmanaged.passRetained(self).toOpaque()
        if pthread_create(&thread, nil, { raw in
            let source = Unmanaged<ReadAheadSource>.fromOpaque(raw!).takeRetainedValue()
            source.produce()
            return nil
        }, context) != 0 {
            // No thread: read in line on the caller's thread instead.
            Unmanaged<ReadAheadSource>.fromOpaque(context).release()
            joined = true
            ended = true
            inline = true
        }
    }

    private var inline = false

    deinit {
        for b in buffers { UnsafeMutableRawPointer(b.baseAddress! - Self.headroomBytes).deallocate() }
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        cond.deallocate()
    }

    private func produce() {
        while true {
            pthread_mutex_lock(mutex)
            while filled == Self.slots && !stopping { pthread_cond_wait(cond, mutex) }
            if stopping { pthread_mutex_unlock(mutex); return }
            let slot = tail
            pthread_mutex_unlock(mutex)
            var n = 0
            var failure: InputError? = nil
            do { n = try inner.read(into: buffers[slot]) } catch { failure = error }
            pthread_mutex_lock(mutex)
            if let failure {
                error = failure
                ended = true
            } else if n == 0 {
                ended = true
            } else {
                counts[slot] = n
                tail = (tail + 1) % Self.slots
                filled += 1
            }
            let done = ended
            pthread_cond_broadcast(cond)
            pthread_mutex_unlock(mutex)
            if done { return }
        }
    }

    /// Hands the lent slot back to the reading thread (the mutex is held).
    private func handBackLent() {
        guard lent else { return }
        lent = false
        head = (head + 1) % Self.slots
        headOffset = 0
        filled -= 1
        pthread_cond_broadcast(cond)
    }

    /// Lends the next filled slot, whole, when it holds at most `limit` bytes and none of it
    /// was read yet; the slot before (if lent) is handed back first.
    public func lend(upTo limit: Int) throws(InputError) -> LentBytes? {
        if inline { return nil }
        pthread_mutex_lock(mutex)
        handBackLent()
        while filled == 0 && !ended { pthread_cond_wait(cond, mutex) }
        guard filled > 0 else {
            let failure = error
            error = nil
            pthread_mutex_unlock(mutex)
            if let failure { throw failure }
            return LentBytes(bytes: UnsafeMutableRawBufferPointer(start: buffers[head].baseAddress, count: 0), headroom: 0)
        }
        guard headOffset == 0, counts[head] <= limit else {
            pthread_mutex_unlock(mutex)
            return nil
        }
        lent = true
        let slot = head
        let n = counts[slot]
        pthread_mutex_unlock(mutex)
        return LentBytes(bytes: UnsafeMutableRawBufferPointer(start: buffers[slot].baseAddress, count: n), headroom: Self.headroomBytes)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if inline { return try inner.read(into: buffer) }
        guard buffer.count > 0 else { return 0 }
        pthread_mutex_lock(mutex)
        handBackLent()
        while filled == 0 && !ended { pthread_cond_wait(cond, mutex) }
        guard filled > 0 else {
            let failure = error
            error = nil
            pthread_mutex_unlock(mutex)
            if let failure { throw failure }
            return 0
        }
        let slot = head
        let offset = headOffset
        let available = counts[slot] - offset
        pthread_mutex_unlock(mutex)
        // The slot is the consumer's until it is handed back below.
        let n = min(available, buffer.count)
        buffer.baseAddress!.copyMemory(from: buffers[slot].baseAddress! + offset, byteCount: n)
        pthread_mutex_lock(mutex)
        if n == available {
            head = (head + 1) % Self.slots
            headOffset = 0
            filled -= 1
            pthread_cond_broadcast(cond)
        } else {
            headOffset += n
        }
        pthread_mutex_unlock(mutex)
        return n
    }

    public func close() {
        if !joined {
            pthread_mutex_lock(mutex)
            lent = false
            stopping = true
            pthread_cond_broadcast(cond)
            pthread_mutex_unlock(mutex)
            pthread_join(thread, nil)
            joined = true
        }
        inner.close()
    }
}
