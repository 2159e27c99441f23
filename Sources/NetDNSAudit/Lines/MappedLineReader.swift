import CNetDNSShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hands the lines of a byte range of a regular file to a receiver straight from memory-mapped
/// windows of the file, so the bytes are never copied (reading with `read(2)` copies every byte
/// once more, which is about half the time of a fast line scan).
///
/// The window moves along the file; each new window starts at the page of the first unfinished
/// line, so a line up to ``maxLineBytes`` long is always whole in one window. Memory stays
/// bounded: one window is mapped at a time. Where `mmap` fails (a file system that cannot map),
/// the window is read with `pread` into a buffer instead.
///
/// A file that shrinks while mapped makes the kernel raise SIGBUS on the lost pages; each window
/// is therefore cut to the size the file has when it is mapped. Live modes never map.
public struct MappedLineReader {
    public let fd: Int32
    public let path: String
    public let range: Range<Int>
    /// The longest line analysed; longer lines are reported as over-long.
    public let maxLineBytes: Int
    /// Bytes mapped at once (a multiple of the page size, at least twice ``maxLineBytes``).
    public let windowBytes: Int

    public init(fd: Int32, path: String, range: Range<Int>, maxLineBytes: Int = 1 << 20, windowBytes: Int = 4 << 20) {
        self.fd = fd
        self.path = path
        self.range = range
        self.maxLineBytes = max(maxLineBytes, 64)
        let page = Self.pageSize
        let wanted = max(windowBytes, 2 * self.maxLineBytes + 2 * page)
        self.windowBytes = (wanted + page - 1) / page * page
    }

    static let pageSize = max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)

    /// Reads the range to its end, as ``LineSplitter/run(_:lines:line:overlong:)`` does:
    /// `lines` gets stretches of complete lines (each ending in `\n`; the receiver checks
    /// their length), `line` a last line without a newline, `overlong` each line longer than
    /// the window. `progress` is told how many bytes each window finished.
    ///
    /// - Returns: the number of bytes read. A read error, or the file ending before the range
    ///   does (``InputError/truncatedWhileRead(path:read:size:)``), is thrown after the lines before it.
    @discardableResult
    public func run(
        lines: (UnsafeRawBufferPointer) -> Void,
        line: (UnsafeRawBufferPointer) -> Void,
        overlong: () -> Void,
        progress: (Int) -> Void = { _ in }
    ) throws(InputError) -> Int {
        let page = Self.pageSize
        var position = range.lowerBound   // the first byte not yet handed over
        var end = range.upperBound
        var skipping = false              // inside an over-long line, until its newline
        var fallback: UnsafeMutableRawBufferPointer? = nil
        defer { fallback?.deallocate() }
        var reported = range.lowerBound
        while position < end {
            var st = stat()
            if fstat(fd, &st) == 0 { end = min(end, Int(st.st_size)) }
            guard position < end else { break }
            let mapStart = position / page * page
            let mapLength = min(windowBytes, end - mapStart)
            let window: UnsafeRawPointer
            let mapped = mmap(nil, mapLength, PROT_READ, MAP_PRIVATE, fd, off_t(mapStart))
            let failed = UnsafeMutableRawPointer(bitPattern: -1)
            if let mapped, mapped != failed {
                window = UnsafeRawPointer(mapped)
            } else {
                if fallback == nil { fallback = .allocate(byteCount: windowBytes, alignment: 16) }
                let n = try Self.readFully(fd: fd, into: fallback!.baseAddress!, count: mapLength, offset: mapStart, path: path)
                guard n == mapLength else { end = mapStart + n; continue }
                window = UnsafeRawPointer(fallback!.baseAddress!)
            }
            defer { if let mapped, mapped != failed { munmap(mapped, mapLength) } }
            let windowEnd = mapStart + mapLength
            var p = window + (position - mapStart)
            let stop = window + mapLength
            if skipping {
                if let newline = memchr(p, 0x0A, stop - p) {
                    skipping = false
                    p = UnsafeRawPointer(newline) + 1
                } else {
                    p = stop
                }
            }
            if !skipping, p < stop, let last = memrchr(p, 0x0A, stop - p) {
                let through = UnsafeRawPointer(last) + 1
                lines(UnsafeRawBufferPointer(start: p, count: p.distance(to: through)))
                p = through
            }
            position = mapStart + window.distance(to: p)
            if !skipping, windowEnd - position > maxLineBytes {
                // An unfinished line that is already too long: counted once, then skipped.
                overlong()
                skipping = true
                position = windowEnd
            } else if windowEnd == end, position < end, !skipping {
                // The last line has no newline (a trailing `\r` is dropped, as by LineSplitter).
                line(UnsafeRawBufferPointer(start: p, count: p.distance(to: stop)).droppingCarriageReturn())
                position = end
            } else if skipping {
                position = windowEnd
            }
            if position - reported >= 1 << 20 || position >= end {
                progress(position - reported)
                reported = position
            }
        }
        if end < range.upperBound {
            // The file shrank below the range while it was read (each window was cut to the size
            // it had, so no page past the end was touched): the lines before the cut are kept.
            throw .truncatedWhileRead(path: path, read: end, size: range.upperBound)
        }
        return max(0, min(end, range.upperBound) - range.lowerBound)
    }

    static func readFully(fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int, offset: Int, path: String) throws(InputError) -> Int {
        var done = 0
        while done < count {
            let n = pread(fd, buffer + done, count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            done += n
        }
        return done
    }
}
