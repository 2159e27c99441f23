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
}

/// Bytes read with `read(2)` from a file descriptor.
public struct FileDescriptorSource: ByteSource {
    public let fd: Int32
    public let path: String
    let ownsDescriptor: Bool

    /// Opens `path` for reading.
    public init(path: String) throws(InputError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        self.fd = fd
        self.path = path
        self.ownsDescriptor = true
    }

    /// Reads an already open descriptor (standard input), which is not closed.
    public init(descriptor: Int32, name: String) {
        self.fd = descriptor
        self.path = name
        self.ownsDescriptor = false
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw .readFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }

    public mutating func close() {
        if ownsDescriptor { _ = Glibc.close(fd) }
    }
}
