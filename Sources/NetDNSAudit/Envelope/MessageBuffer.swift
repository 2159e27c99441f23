#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A reusable, bounded byte buffer owned by an envelope: joins the pieces of a split message
/// (CRI `P`, Docker partial pieces) and holds unescaped or rebuilt bytes.
///
/// A message keeps at most ``limit`` bytes from its start (its head, ``bytes``). Once it grows
/// beyond that it is over-long (``isOverlong``): the bytes past the head are not held, except
/// its last ``tailLimit`` bytes (its tail, ``tail``), a window that moves with every append, so
/// that the end of the message (where a joined message's final piece is) can still be scanned.
/// Memory stays under `limit + 2 * tailLimit` (plus one piece being unescaped) however long the
/// message grows. ``bytes`` and ``tail`` stay valid until the next call that appends;
/// ``clear()`` keeps the storage, so views taken just before clearing can still be returned to
/// the caller.
public final class MessageBuffer {
    /// The most bytes one message keeps from its start.
    public let limit: Int
    /// The most bytes an over-long message keeps from its end.
    public let tailLimit: Int
    /// Bytes of the current message neither in the head nor in the tail.
    public private(set) var droppedBytes = 0
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    public private(set) var count = 0
    /// The tail window: `tailCount` bytes from `tailStart` in `tailStorage` (`2 * tailLimit` bytes).
    private var tailStorage: UnsafeMutableRawPointer?
    private var tailStart = 0
    private var tailCount = 0
    /// Whether the message grew beyond ``limit``.
    public private(set) var isOverlong = false

    /// The tail window an over-long message keeps: 64 KiB (four Docker pieces), or the limit
    /// when that is smaller.
    public static func defaultTailLimit(for limit: Int) -> Int { min(limit, 64 << 10) }

    public init(limit: Int = 1 << 20, tailLimit: Int? = nil, initialCapacity: Int = 4096) {
        self.limit = max(limit, 1)
        self.tailLimit = max(tailLimit ?? Self.defaultTailLimit(for: limit), 1)
        capacity = max(64, min(initialCapacity, self.limit))
        storage = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        storage.deallocate()
        tailStorage?.deallocate()
    }

    public var isEmpty: Bool { count == 0 && !isOverlong }

    /// The bytes of storage the buffer holds (for its memory bound).
    var reservedBytes: Int { capacity + (tailStorage == nil ? 0 : 2 * tailLimit) }

    /// The bytes held from the start of the message (all of it unless ``isOverlong``).
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }

    /// The last bytes of an over-long message (at most ``tailLimit``), after its head; empty
    /// unless ``isOverlong``.
    public var tail: UnsafeRawBufferPointer {
        guard let tailStorage else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: tailStorage + tailStart, count: tailCount)
    }

    /// Forgets the message, keeping the storage (views taken before stay readable until the next append).
    public func clear() {
        count = 0
        tailStart = 0
        tailCount = 0
        droppedBytes = 0
        isOverlong = false
    }

    /// Appends bytes; what goes beyond ``limit`` goes to the tail window.
    public func append(_ piece: UnsafeRawBufferPointer) {
        guard piece.count > 0, let base = piece.baseAddress else { return }
        let kept = min(limit - count, piece.count)
        if kept > 0 {
            reserve(kept)
            memcpy(storage + count, base, kept)
            count += kept
        }
        if kept < piece.count { appendToTail(UnsafeRawBufferPointer(start: base + kept, count: piece.count - kept)) }
    }

    /// Appends a single byte (to the tail window beyond ``limit``).
    public func append(byte: UInt8) {
        withUnsafeBytes(of: byte) { append($0) }
    }

    /// Lets `write` fill up to `maxCount` bytes at the end; it returns how many it wrote.
    /// What goes beyond ``limit`` then moves to the tail window.
    public func appendInPlace(maxCount: Int, _ write: (UnsafeMutableRawPointer) -> Int) {
        reserve(maxCount)
        let written = write(storage + count)
        count += written
        if count > limit {
            appendToTail(UnsafeRawBufferPointer(start: storage + limit, count: count - limit))
            count = limit
        }
    }

    /// Keeps the last ``tailLimit`` bytes of what went beyond the head.
    private func appendToTail(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0, let base = bytes.baseAddress else { return }
        isOverlong = true
        let window = tailLimit
        let tailStorage = self.tailStorage ?? .allocate(byteCount: 2 * window, alignment: 16)
        self.tailStorage = tailStorage
        if bytes.count >= window {
            // The piece alone fills the window: only its end stays.
            droppedBytes += tailCount + bytes.count - window
            memcpy(tailStorage, base + bytes.count - window, window)
            tailStart = 0
            tailCount = window
            return
        }
        if tailStart + tailCount + bytes.count > 2 * window {
            // Slide: keep the last `window - bytes.count` bytes at the front, then append.
            let keep = min(tailCount, window - bytes.count)
            droppedBytes += tailCount - keep
            memmove(tailStorage, tailStorage + tailStart + tailCount - keep, keep)
            tailStart = 0
            tailCount = keep
        }
        memcpy(tailStorage + tailStart + tailCount, base, bytes.count)
        tailCount += bytes.count
        if tailCount > window {
            droppedBytes += tailCount - window
            tailStart += tailCount - window
            tailCount = window
        }
    }

    private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < count + extra { newCapacity *= 2 }
        let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        grown.copyMemory(from: storage, byteCount: count)
        storage.deallocate()
        storage = grown
        capacity = newCapacity
    }
}
