#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A stream of bytes: a file, standard input, or a decompressor in front of one.
public protocol ByteSource {
    /// Reads up to `buffer.count` bytes; returns 0 at the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
    /// Releases the source.
    mutating func close()
    /// Lends the next bytes where they already are instead of copying them (a decompressor's
    /// output buffer), when they are at most `limit` bytes; `nil` when the source does not lend
    /// (then ``read(into:)`` gives them). See ``LentBytes``.
    mutating func lend(upTo limit: Int) throws(InputError) -> LentBytes?
}

extension ByteSource {
    /// Sources copy by default.
    public mutating func lend(upTo limit: Int) throws(InputError) -> LentBytes? { nil }
}

/// Bytes a source lends in place (``ByteSource/lend(upTo:)``): valid, and the borrower's to
/// write, until the next call on the source. The `headroom` bytes before them are writable too,
/// so a reader can put the start of a line that began earlier right before them.
public struct LentBytes {
    /// The bytes (empty: the end of the stream).
    public var bytes: UnsafeMutableRawBufferPointer
    /// Writable bytes just before `bytes`.
    public var headroom: Int
}

/// Bytes read with `read(2)` from a file descriptor.
///
/// A regular file that ends before the size it had when it was opened was cut short while it
/// was read (`copytruncate` rotation, or a writer starting over): the lines before the cut are
/// kept and ``InputError/truncatedWhileRead(path:read:size:)`` is thrown at the end, so the
/// run says so and exits 2 instead of reporting on part of the file as if it were all of it.
public struct FileDescriptorSource: ByteSource {
    public let fd: Int32
    public let path: String
    let ownsDescriptor: Bool
    /// The size of a regular file when it was opened; `nil` for pipes and devices.
    let sizeAtOpen: Int?
    /// Bytes read so far.
    public private(set) var offset = 0
    /// Whether a read of a regular file found its end.
    var atEnd = false

    /// Opens `path` for reading.
    public init(path: String) throws(InputError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        self.fd = fd
        self.path = path
        self.ownsDescriptor = true
        sizeAtOpen = Self.regularFileSize(fd)
    }

    /// Reads `fd`, opened from `path` (and closed with the source); `sizeAtOpen` is the size
    /// of a regular file when it was opened (its `fstat`), `nil` for pipes and devices.
    init(adopting fd: Int32, path: String, sizeAtOpen: Int?) {
        self.fd = fd
        self.path = path
        self.ownsDescriptor = true
        self.sizeAtOpen = sizeAtOpen
    }

    static func regularFileSize(_ fd: Int32) -> Int? {
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(st.st_size)
    }

    /// Reads an already open descriptor (standard input), which is not closed.
    public init(descriptor: Int32, name: String) {
        self.fd = descriptor
        self.path = name
        self.ownsDescriptor = false
        sizeAtOpen = Self.regularFileSize(descriptor).map { size in
            // Standard input redirected from a file may start part-way into it.
            max(0, size - Int(lseek(descriptor, 0, SEEK_CUR)))
        }
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if atEnd { return 0 }
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 { offset += n }
            if n == 0, let size = sizeAtOpen, offset < size {
                throw .truncatedWhileRead(path: path, read: offset, size: size)
            }
            // A regular file that gave fewer bytes than asked for, and all it held when it was
            // opened, is at its end: the next read would only say so (one syscall per small file).
            if n >= 0, n < buffer.count, let size = sizeAtOpen, offset >= size { atEnd = true }
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw .readFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }

    public mutating func close() {
        if ownsDescriptor { _ = Glibc.close(fd) }
    }
}
