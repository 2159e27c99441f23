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
    /// How far before a cut a torn trace start is looked for (see ``cuts(fd:size:parts:)``).
    static let tornLookBehind = 1 << 20

    /// `parts` ranges covering `[0, size)`: each starts at a line start. A cut is moved back to
    /// the start of a torn `hostLookupOrder(` / `addrLookupOrder(` line found within
    /// ``tornLookBehind`` bytes before it, so both pieces of a torn trace line usually fall in one
    /// range.
    public static func cuts(fd: Int32, size: Int, parts: Int) -> [Range<Int>] {
        guard parts > 1, size > 0 else { return [0..<size] }
        var bounds = [0]
        for i in 1..<parts {
            let tentative = size / parts * i
            var cut = nextLineStart(fd: fd, from: tentative, size: size)
            cut = beforeTornStart(fd: fd, cut: cut, floor: bounds.last!)
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

    /// Moves `cut` back to the start of the earliest torn order-line start within the look-behind.
    static func beforeTornStart(fd: Int32, cut: Int, floor: Int) -> Int {
        let from = max(floor, cut - tornLookBehind)
        guard cut - from > 0 else { return cut }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: cut - from, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < buffer.count {
            let n = pread(fd, buffer.baseAddress! + filled, buffer.count - filled, off_t(from + filled))
            if n <= 0 { return cut }
            filled += n
        }
        let bytes = UnsafeRawBufferPointer(buffer)
        var search = 0
        while let hit = bytes.firstRange(of: "LookupOrder(", from: search) {
            search = hit + 12
            let lineStart = (bytes.slice(0, hit).lastIndex(of: 0x0A)).map { $0 + 1 } ?? 0
            let lineEnd = bytes.firstIndex(ofByte: 0x0A, from: hit) ?? bytes.count
            // A line start cut off by the window is not moved to (it lies before `from`).
            if lineStart == 0 && from > floor { continue }
            let rest = bytes.slice(hit + 12, lineEnd).trimmingTrailingWhitespace()
            if GoTraceParser.splitNameAndOrder(rest) == nil {
                return from + lineStart
            }
        }
        return cut
    }
}
