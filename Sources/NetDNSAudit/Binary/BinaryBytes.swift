#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of one binary, held in memory (read from a file or an image layer) and read with
/// bounds-checked accessors: every offset and length taken from the file is checked before use,
/// so a corrupt or truncated file yields `nil`, never a trap.
public final class BinaryBytes: @unchecked Sendable {
    /// The bytes; valid as long as this object lives.
    public let buffer: UnsafeRawBufferPointer
    let deallocate: () -> Void

    /// Copies `bytes`.
    public convenience init(_ bytes: some Collection<UInt8>) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        _ = storage.initializeMemory(as: UInt8.self, from: bytes)
        self.init(owning: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[0..<bytes.count]),
                  free: { storage.deallocate() })
    }

    /// Takes over a buffer that `free` releases.
    public init(owning buffer: UnsafeRawBufferPointer, free: @escaping () -> Void) {
        self.buffer = buffer
        self.deallocate = free
    }

    deinit { deallocate() }

    public var count: Int { buffer.count }

    /// Reads the file at `path` into memory: mapped read-only when it is a regular file, which
    /// costs no copy (the pages a reader never touches are never read).
    public static func read(path: String) throws(InputError) -> BinaryBytes {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .readFailed(path: path, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .unsupported(path: path, reason: "not a regular file") }
        let size = Int(info.st_size)
        guard size > 0 else { return BinaryBytes([UInt8]()) }
        guard let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED else {
            throw .readFailed(path: path, reason: String(cString: strerror(errno)))
        }
        return BinaryBytes(owning: UnsafeRawBufferPointer(start: map, count: size), free: { _ = munmap(map, size) })
    }

    /// Reads all of `source` (at most `limit` bytes; more is an error) into memory.
    public static func read(_ source: inout some ByteSource, name: String, expected: Int, limit: Int) throws(InputError) -> BinaryBytes {
        guard expected <= limit else {
            throw .unsupported(path: name, reason: "file of \(expected) bytes is larger than the \(limit >> 20) MiB read limit")
        }
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(expected, 1), alignment: 16)
        var filled = 0
        while filled < expected {
            let n: Int
            do { n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: storage[filled..<expected])) } catch {
                storage.deallocate()
                throw error
            }
            if n == 0 { break }
            filled += n
        }
        return BinaryBytes(owning: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[0..<filled]),
                           free: { storage.deallocate() })
    }
}

/// Bounds-checked little- or big-endian reads from a byte buffer.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    let bigEndian: Bool

    var count: Int { bytes.count }

    func u8(_ at: Int) -> UInt8? {
        guard at >= 0, at < bytes.count else { return nil }
        return bytes[at]
    }

    func u16(_ at: Int) -> UInt16? {
        guard at >= 0, at <= bytes.count - 2 else { return nil }
        let v = bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self)
        return bigEndian ? UInt16(bigEndian: v) : UInt16(littleEndian: v)
    }

    func u32(_ at: Int) -> UInt32? {
        guard at >= 0, at <= bytes.count - 4 else { return nil }
        let v = bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)
        return bigEndian ? UInt32(bigEndian: v) : UInt32(littleEndian: v)
    }

    func u64(_ at: Int) -> UInt64? {
        guard at >= 0, at <= bytes.count - 8 else { return nil }
        let v = bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)
        return bigEndian ? UInt64(bigEndian: v) : UInt64(littleEndian: v)
    }

    /// A word of `size` bytes (4 or 8).
    func word(_ at: Int, size: Int) -> UInt64? {
        size == 8 ? u64(at) : u32(at).map(UInt64.init)
    }

    /// A word as a non-negative Int, or nil when it does not fit.
    func int(_ at: Int, size: Int) -> Int? {
        guard let w = word(at, size: size), w <= UInt64(Int.max) else { return nil }
        return Int(w)
    }

    /// The NUL-terminated string at `at` (at most `limit` bytes), or nil without a NUL.
    func cString(_ at: Int, limit: Int = 4096) -> String? {
        guard at >= 0, at < bytes.count, let base = bytes.baseAddress else { return nil }
        let n = min(limit, bytes.count - at)
        guard let nul = memchr(base + at, 0, n) else { return nil }
        let length = base.distance(to: UnsafeRawPointer(nul)) - at
        return String(decoding: UnsafeRawBufferPointer(start: base + at, count: length), as: UTF8.self)
    }

    /// The bytes `[at, at + length)`, or nil when they are not all in the buffer.
    func slice(_ at: Int, _ length: Int) -> UnsafeRawBufferPointer? {
        guard at >= 0, length >= 0, at <= bytes.count, length <= bytes.count - at, let base = bytes.baseAddress else { return nil }
        return UnsafeRawBufferPointer(start: base + at, count: length)
    }
}
