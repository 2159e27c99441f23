import CNetDNSShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits bytes that arrive in pieces (a followed file, a live pipe) into lines, keeping the
/// unfinished last line until its newline comes.
///
/// Same rules as ``LineSplitter``: lines end at `\n`, a trailing `\r` is dropped, a line longer
/// than ``maxLineBytes`` is reported once through `overlong` and skipped.
public final class LineAssembler {
    /// The longest line analysed.
    public let maxLineBytes: Int
    var partial: [UInt8] = []
    var skipping = false

    public init(maxLineBytes: Int = 1 << 20) {
        self.maxLineBytes = max(maxLineBytes, 64)
    }

    /// Whether bytes of an unfinished line are held.
    public var hasPartialLine: Bool { !partial.isEmpty || skipping }

    /// Hands over every line that `bytes` completes, keeping the rest: the line it finishes
    /// (begun in earlier bytes) to `line`, then the complete lines that follow as one stretch
    /// to `lines` (each ending in `\n`, cut by ``LineBatch``).
    public func feed(_ bytes: UnsafeRawBufferPointer, lines: (UnsafeRawBufferPointer) -> Void,
                     line: (UnsafeRawBufferPointer) -> Void, overlong: () -> Void) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var start = 0
        if skipping || !partial.isEmpty {
            guard let nl = memchr(base, 0x0A, bytes.count) else {
                guard !skipping else { return }
                if partial.count + bytes.count > maxLineBytes {
                    overlong()
                    skipping = true
                    partial.removeAll(keepingCapacity: false)
                } else {
                    partial.append(contentsOf: bytes)
                }
                return
            }
            let at = base.distance(to: UnsafeRawPointer(nl))
            if skipping {
                skipping = false
            } else {
                if partial.count + at > maxLineBytes {
                    overlong()
                } else {
                    partial.append(contentsOf: UnsafeRawBufferPointer(start: base, count: at))
                    partial.withUnsafeBytes { emit($0, line) }
                }
                partial.removeAll(keepingCapacity: true)
            }
            start = at + 1
        }
        if start < bytes.count, let last = memrchr(base + start, 0x0A, bytes.count - start) {
            let stop = base.distance(to: UnsafeRawPointer(last)) + 1
            lines(UnsafeRawBufferPointer(start: base + start, count: stop - start))
            start = stop
        }
        guard start < bytes.count else { return }
        if bytes.count - start > maxLineBytes {
            overlong()
            skipping = true
        } else {
            partial.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: bytes.count - start))
        }
    }

    /// Like ``feed(_:lines:line:overlong:)``, every line handed over alone.
    public func feed(_ bytes: UnsafeRawBufferPointer, line: (UnsafeRawBufferPointer) -> Void, overlong: () -> Void) {
        let limit = maxLineBytes
        feed(bytes, lines: { LineSplitter.cut($0, maxLineBytes: limit, line: line, overlong: overlong) }, line: line, overlong: overlong)
    }

    /// Emits the unfinished last line, if any (end of input, or the file was replaced).
    public func finish(line: (UnsafeRawBufferPointer) -> Void) {
        if !partial.isEmpty { partial.withUnsafeBytes { emit($0, line) } }
        partial.removeAll(keepingCapacity: false)
        skipping = false
    }

    func emit(_ bytes: UnsafeRawBufferPointer, _ line: (UnsafeRawBufferPointer) -> Void) {
        line(bytes.droppingCarriageReturn())
    }
}
