import CNetDNSShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream into lines with one reusable buffer, so memory does not grow with input.
///
/// Lines end at `\n`; a trailing `\r` is dropped; a last line without a newline still counts.
/// A line longer than ``maxLineBytes`` is reported once through `overlong` and skipped.
public final class LineSplitter {
    /// The longest line analysed.
    public let maxLineBytes: Int
    let chunkBytes: Int
    let buffer: UnsafeMutableRawBufferPointer
    /// Bytes read by the last ``run(_:line:overlong:)``, also when it ended with an error.
    public private(set) var bytesRead = 0

    public init(maxLineBytes: Int = 1 << 20, chunkBytes: Int = 1 << 20) {
        self.maxLineBytes = max(maxLineBytes, 64)
        self.chunkBytes = chunkBytes
        buffer = .allocate(byteCount: self.maxLineBytes + chunkBytes, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Reads `source` to its end. `region` is told about each stretch of valid bytes before the
    /// lines in it are passed to `line`.
    ///
    /// - Returns: the number of bytes read. A read error ends the stream: the lines already
    ///   read, and the unfinished last line, are delivered first, then the error is thrown
    ///   (``bytesRead`` still tells how many bytes were read).
    @discardableResult
    public func run<S: ByteSource>(
        _ source: inout S,
        region: (UnsafeRawBufferPointer) -> Void = { _ in },
        line: (UnsafeRawBufferPointer) -> Void,
        overlong: () -> Void
    ) throws(InputError) -> Int {
        let base = buffer.baseAddress!
        var start = 0          // first unconsumed byte
        var end = 0            // end of valid data
        var total = 0
        var skipping = false   // inside an over-long line, discarding until its newline
        bytesRead = 0
        while true {
            if buffer.count - end < chunkBytes {
                // Little room left: move the partial line to the front.
                if start > 0 {
                    memmove(base, base + start, end - start)
                    end -= start
                    start = 0
                }
            }
            let n: Int
            do {
                n = try source.read(into: UnsafeMutableRawBufferPointer(start: base + end, count: buffer.count - end))
            } catch {
                if end > start && !skipping { emit(start, end, line) }
                throw error
            }
            if n == 0 { break }
            total += n
            bytesRead = total
            var scan = end
            end += n
            region(UnsafeRawBufferPointer(start: base + start, count: end - start))
            while let nl = memchr(base + scan, 0x0A, end - scan) {
                let at = base.distance(to: nl)
                if skipping {
                    skipping = false
                } else if at - start > maxLineBytes {
                    overlong()
                } else {
                    emit(start, at, line)
                }
                start = at + 1
                scan = start
            }
            if skipping {
                start = end
            } else if end - start > maxLineBytes {
                overlong()
                skipping = true
                start = end
            }
            if start == end { start = 0; end = 0 }
        }
        if end > start && !skipping {
            if end - start > maxLineBytes { overlong() } else { emit(start, end, line) }
        }
        return total
    }

    /// Reads `source` to its end, handing over whole stretches of complete lines at once.
    ///
    /// `lines` gets regions that hold only complete lines, each ending in `\n` (a line may be
    /// longer than ``maxLineBytes``: the receiver checks); lines longer than the buffer are
    /// reported through `overlong` and never reach `lines`. A last line without a newline (at
    /// the end, or before a read error) goes to `line`, with a trailing `\r` dropped.
    ///
    /// - Returns: the number of bytes read; errors are thrown as by ``run(_:region:line:overlong:)``.
    @discardableResult
    public func run<S: ByteSource>(
        _ source: inout S,
        lines: (UnsafeRawBufferPointer) -> Void,
        line: (UnsafeRawBufferPointer) -> Void,
        overlong: () -> Void
    ) throws(InputError) -> Int {
        let base = buffer.baseAddress!
        var start = 0
        var end = 0
        var total = 0
        var skipping = false
        bytesRead = 0
        while true {
            if buffer.count - end < chunkBytes, start > 0 {
                memmove(base, base + start, end - start)
                end -= start
                start = 0
            }
            let n: Int
            do {
                n = try source.read(into: UnsafeMutableRawBufferPointer(start: base + end, count: buffer.count - end))
            } catch {
                if end > start && !skipping { emit(start, end, line) }
                throw error
            }
            if n == 0 { break }
            total += n
            bytesRead = total
            let fresh = end
            end += n
            if skipping {
                // The rest of an over-long line: dropped up to its newline.
                guard let nl = memchr(base + fresh, 0x0A, end - fresh) else { start = 0; end = 0; continue }
                skipping = false
                start = base.distance(to: nl) + 1
            }
            // Complete lines end at the last newline; only the new bytes can hold it.
            if let last = memrchr(base + max(fresh, start), 0x0A, end - max(fresh, start)) {
                let stop = base.distance(to: last) + 1
                lines(UnsafeRawBufferPointer(start: base + start, count: stop - start))
                start = stop
            }
            if end - start > maxLineBytes {
                overlong()
                skipping = true
                start = 0
                end = 0
            }
            if start == end { start = 0; end = 0 }
        }
        if end > start && !skipping {
            if end - start > maxLineBytes { overlong() } else { emit(start, end, line) }
        }
        return total
    }

    @inline(__always)
    func emit(_ from: Int, _ to: Int, _ line: (UnsafeRawBufferPointer) -> Void) {
        var stop = to
        if stop > from, buffer[stop - 1] == 0x0D { stop -= 1 }
        line(UnsafeRawBufferPointer(start: buffer.baseAddress! + from, count: stop - from))
    }
}
