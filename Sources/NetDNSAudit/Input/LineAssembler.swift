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

    /// Emits every line that `bytes` completes; keeps the rest.
    public func feed(_ bytes: UnsafeRawBufferPointer, line: (UnsafeRawBufferPointer) -> Void, overlong: () -> Void) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var start = 0
        while let nl = memchr(base + start, 0x0A, bytes.count - start) {
            let at = base.distance(to: UnsafeRawPointer(nl))
            if skipping {
                skipping = false
            } else if !partial.isEmpty {
                if partial.count + (at - start) > maxLineBytes {
                    overlong()
                } else {
                    partial.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: at - start))
                    partial.withUnsafeBytes { emit($0, line) }
                }
                partial.removeAll(keepingCapacity: true)
            } else if at - start > maxLineBytes {
                overlong()
            } else {
                emit(UnsafeRawBufferPointer(start: base + start, count: at - start), line)
            }
            start = at + 1
        }
        guard start < bytes.count, !skipping else { return }
        if partial.count + (bytes.count - start) > maxLineBytes {
            overlong()
            skipping = true
            partial.removeAll(keepingCapacity: false)
        } else {
            partial.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: bytes.count - start))
        }
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
