#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes `[start, end)` of an open file, read with `pread(2)`; several ranges of one
/// descriptor can be read by several threads at once. The descriptor is not closed.
public struct RangeSource: ByteSource {
    public let fd: Int32
    public let path: String
    public private(set) var offset: Int
    public let end: Int

    public init(fd: Int32, path: String, start: Int, end: Int) {
        self.fd = fd
        self.path = path
        self.offset = start
        self.end = end
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let want = min(buffer.count, end - offset)
        guard want > 0 else { return 0 }
        while true {
            let n = pread(fd, buffer.baseAddress, want, off_t(offset))
            // The range was cut from the file's size at the start: ending early is a truncation.
            if n == 0 { throw .truncatedWhileRead(path: path, read: offset, size: end) }
            if n >= 0 {
                offset += n
                return n
            }
            if errno == EINTR { continue }
            throw .readFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }

    public mutating func close() {}
}

/// Newline-aligned cut points of a large file, so that each range holds whole lines.
public enum RangeCuts {
    /// Up to `parts` ranges covering `[0, size)`, each starting at a line start (the byte after
    /// the first newline at or after `size / parts * i - 1`).
    public static func cuts(fd: Int32, size: Int, parts: Int) -> [Range<Int>] {
        guard parts > 1, size > 0 else { return [0..<size] }
        var bounds = [0]
        for i in 1..<parts {
            let tentative = size / parts * i
            let cut = nextLineStart(fd: fd, from: tentative, size: size)
            if cut > bounds.last! && cut < size { bounds.append(cut) }
        }
        bounds.append(size)
        return zip(bounds, bounds.dropFirst()).map { $0..<$1 }
    }

    /// The first line start at or after `from` (the byte after the next newline at or after `from - 1`).
    static func nextLineStart(fd: Int32, from: Int, size: Int) -> Int {
        var at = max(from - 1, 0)
        let chunk = 64 << 10
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        while at < size {
            let n = pread(fd, buffer.baseAddress, min(chunk, size - at), off_t(at))
            if n <= 0 { return size }
            if let hit = memchr(buffer.baseAddress!, 0x0A, n) {
                return at + UnsafeRawPointer(buffer.baseAddress!).distance(to: UnsafeRawPointer(hit)) + 1
            }
            at += n
        }
        return size
    }
}
