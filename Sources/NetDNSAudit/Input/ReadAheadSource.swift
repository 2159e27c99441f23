#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads another source on a thread of its own, a few buffers ahead: a gzip file is then
/// decompressed on one thread while its lines are analysed on another.
///
/// The bytes, and a read error after them, arrive in the order the inner source gave them.
/// Memory: ``slots`` buffers of ``slotBytes``. Used for files only (``close()`` waits for the
/// thread's current read, which on a pipe could wait for its writer).
public final class ReadAheadSource: ByteSource, @unchecked Sendable {
    public static let slots = 4
    public static let slotBytes = 1 << 20

    private var inner: any ByteSource
    private let buffers: [UnsafeMutableRawBufferPointer]
    private var counts: [Int]
    private var head = 0, tail = 0, filled = 0, headOffset = 0
    private var ended = false, stopping = false, joined = false
    private var error: InputError?
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var thread = pthread_t()

    /// Starts reading `inner`, which the source owns and closes in ``close()``.
    public init(_ inner: any ByteSource) {
        self.inner = inner
        buffers = (0..<Self.slots).map { _ in .allocate(byteCount: Self.slotBytes, alignment: 64) }
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
        for b in buffers { b.deallocate() }
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

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if inline { return try inner.read(into: buffer) }
        guard buffer.count > 0 else { return 0 }
        pthread_mutex_lock(mutex)
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
            stopping = true
            pthread_cond_broadcast(cond)
            pthread_mutex_unlock(mutex)
            pthread_join(thread, nil)
            joined = true
        }
        inner.close()
    }
}
