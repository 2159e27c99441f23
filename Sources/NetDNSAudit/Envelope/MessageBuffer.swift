#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A reusable, bounded byte buffer owned by an envelope: joins the pieces of a split message
/// (CRI `P`, Docker partial pieces) and holds unescaped or rebuilt bytes.
///
/// Bytes beyond ``limit`` are dropped and counted in ``droppedBytes``. ``bytes`` stays valid
/// until the next call that appends; ``clear()`` keeps the storage, so a view taken just before
/// clearing can still be returned to the caller.
public final class MessageBuffer {
    /// The most bytes one message keeps.
    public let limit: Int
    /// Bytes dropped because a message was longer than ``limit``.
    public private(set) var droppedBytes = 0
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    public private(set) var count = 0

    public init(limit: Int = 1 << 20, initialCapacity: Int = 4096) {
        self.limit = limit
        capacity = max(64, initialCapacity)
        storage = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    public var isEmpty: Bool { count == 0 }

    /// The bytes held.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }

    /// Forgets the bytes, keeping the storage (a view taken before stays readable until the next append).
    public func clear() { count = 0 }

    /// Appends bytes, dropping what goes beyond ``limit``.
    public func append(_ piece: UnsafeRawBufferPointer) {
        guard piece.count > 0, let base = piece.baseAddress else { return }
        let room = limit - count
        let kept = min(room, piece.count)
        if kept < piece.count { droppedBytes += piece.count - kept }
        guard kept > 0 else { return }
        reserve(kept)
        memcpy(storage + count, base, kept)
        count += kept
    }

    /// Appends a single byte, dropping it beyond ``limit``.
    public func append(byte: UInt8) {
        guard count < limit else { droppedBytes += 1; return }
        reserve(1)
        storage.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    /// Lets `write` fill up to `maxCount` bytes at the end; it returns how many it wrote.
    /// The result is then cut back to ``limit``.
    public func appendInPlace(maxCount: Int, _ write: (UnsafeMutableRawPointer) -> Int) {
        reserve(maxCount)
        let written = write(storage + count)
        count += written
        if count > limit {
            droppedBytes += count - limit
            count = limit
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
