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
    /// Bytes read by the last run, also when it ended with an error.
    public private(set) var bytesRead = 0

    /// `chunkBytes` is the most one read asks for: small enough that the bytes a read brings
    /// are still in the core's cache when the lines are indexed and decoded.
    public init(maxLineBytes: Int = 1 << 20, chunkBytes: Int = 256 << 10) {
        self.maxLineBytes = max(maxLineBytes, 64)
        self.chunkBytes = chunkBytes
        buffer = .allocate(byteCount: self.maxLineBytes + chunkBytes, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Reads `source` to its end, line by line.
    ///
    /// - Returns: the number of bytes read. A read error ends the stream: the lines already
    ///   read, and the unfinished last line, are delivered first, then the error is thrown
    ///   (``bytesRead`` still tells how many bytes were read).
    @discardableResult
    public func run<S: ByteSource>(
        _ source: inout S,
        line: (UnsafeRawBufferPointer) -> Void,
        overlong: () -> Void
    ) throws(InputError) -> Int {
        let limit = maxLineBytes
        return try run(&source, lines: { Self.cut($0, maxLineBytes: limit, line: line, overlong: overlong) },
                       line: line, overlong: overlong)
    }

    /// Cuts a stretch of complete lines (each ending in `\n`) into lines without their `\n`
    /// and a trailing `\r`, by the rules of ``LineBatch``; lines longer than `maxLineBytes` go
    /// to `overlong`.
    public static func cut(_ stretch: UnsafeRawBufferPointer, maxLineBytes: Int,
                           line: (UnsafeRawBufferPointer) -> Void, overlong: () -> Void) {
        let index = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 256)
        let hits = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 256)
        let faults = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 256)
        defer { index.deallocate(); hits.deallocate(); faults.deallocate() }
        var batch = LineBatch(stretch, maxLineBytes: maxLineBytes, index: index, hits: hits, faults: faults, needle: "\n",
                              rareIndices: (0, 0))
        while true {
            switch batch.next() {
            case .end: return
            case .overlong: overlong()
            case .line(let bytes, _): line(bytes)
            }
        }
    }

    /// Reads `source` to its end, handing over whole stretches of complete lines at once.
    ///
    /// `lines` gets regions that hold only complete lines, each ending in `\n` (a line may be
    /// longer than ``maxLineBytes``: the receiver checks); lines longer than the buffer are
    /// reported through `overlong` and never reach `lines`. A last line without a newline (at
    /// the end, or before a read error) goes to `line`, with a trailing `\r` dropped.
    ///
    /// - Returns: the number of bytes read; errors are thrown as by ``run(_:line:overlong:)``.
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
            if start > 0 {
                // The unfinished last line moves to the front: every read lands in the same
                // few hundred KiB of the buffer, which stay in the cache.
                memmove(base, base + start, end - start)
                end -= start
                start = 0
            }
            let n: Int
            do {
                if !skipping, let lent = try source.lend(upTo: buffer.count - end) {
                    let count = lent.bytes.count
                    if count == 0 { break }
                    total += count
                    bytesRead = total
                    if lendLines(lent, start: &start, end: &end, lines: lines) {
                        if end - start > maxLineBytes {
                            overlong()
                            skipping = true
                            start = 0
                            end = 0
                        }
                        continue
                    }
                    // No room before the bytes, or no newline in them: copied, as if read.
                    (base + end).copyMemory(from: lent.bytes.baseAddress!, byteCount: count)
                    total -= count
                    n = count
                } else {
                    n = try source.read(into: UnsafeMutableRawBufferPointer(start: base + end, count: min(chunkBytes, buffer.count - end)))
                }
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

    /// Hands over the complete lines of lent bytes where they are: the unfinished line held in
    /// the buffer (`start..<end`) is put in the headroom right before them, and what follows
    /// their last newline becomes the buffer's unfinished line. Returns false, changing
    /// nothing, when the unfinished line does not fit the headroom or the bytes hold no newline.
    func lendLines(_ lent: LentBytes, start: inout Int, end: inout Int, lines: (UnsafeRawBufferPointer) -> Void) -> Bool {
        let bytes = lent.bytes
        let held = end - start
        guard held <= lent.headroom, let from = bytes.baseAddress,
              let last = memrchr(from, 0x0A, bytes.count) else { return false }
        let base = buffer.baseAddress!
        let stop = from.distance(to: last) + 1
        if held > 0 { (from - held).copyMemory(from: base + start, byteCount: held) }
        lines(UnsafeRawBufferPointer(start: from - held, count: held + stop))
        let rest = bytes.count - stop
        if rest > 0 { base.copyMemory(from: from + stop, byteCount: rest) }
        start = 0
        end = rest
        return true
    }

    @inline(__always)
    func emit(_ from: Int, _ to: Int, _ line: (UnsafeRawBufferPointer) -> Void) {
        line(UnsafeRawBufferPointer(start: buffer.baseAddress! + from, count: to - from).droppingCarriageReturn())
    }
}
