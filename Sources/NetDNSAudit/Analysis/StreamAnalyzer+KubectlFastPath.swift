import CNetDNSShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fast path for the commonest line of all: a `kubectl logs --prefix` line of an instance
/// already seen.
///
/// Its prefix and timestamp are read straight from the read buffer (no envelope decoding); an
/// ordinary line then only adds one to its instance's lines and moves its first and last seen
/// times, and any other message goes to ``StreamAnalyzer/handleMessage(_:slot:timestamp:)``,
/// as after decoding. A line the fast path is not certain of (a new instance, an unusual
/// timestamp) returns `false` and takes the general path.
extension StreamAnalyzer {
    /// Handles `line` when it is a kubectl line of a known instance with the usual timestamp (or
    /// none; see ``FastTimestampReader``); returns `false`, having changed nothing, for any other line. `needleInLine` is
    /// whether `lookup ` may start in the line.
    @inline(__always)
    func consumeKubectlLine(_ line: UnsafeRawBufferPointer, needleInLine: Bool) -> Bool {
        let n = line.count
        guard n > 6, let base = line.baseAddress,
              base.loadUnaligned(as: UInt32.self) == 0x646F_705B,           // "[pod"
              base.load(fromByteOffset: 4, as: UInt8.self) == 0x2F,          // "/"
              let closing = memchr(base + 5, 0x5D, min(n, 600) - 5)          // "]", as KubectlEnvelope.prefixEnd
        else { return false }
        let close = base.distance(to: UnsafeRawPointer(closing))
        guard let bucket = fastTable.find(UnsafeRawBufferPointer(start: base + 5, count: close - 5)) else { return false }
        let slot = Int(fastTable.buckets[bucket].slot)
        var messageStart = close + 1
        if messageStart < n, base.load(fromByteOffset: messageStart, as: UInt8.self) == ASCII.space { messageStart += 1 }
        var timestamp: Int64? = nil
        let t = base + messageStart
        if n - messageStart >= 20, ASCII.isDigit(t.load(as: UInt8.self)), t.load(fromByteOffset: 4, as: UInt8.self) == 0x2D,
           t.load(fromByteOffset: 10, as: UInt8.self) == 0x54 {
            // `--timestamps`: the form kubectl prints, `YYYY-MM-DDTHH:MM:SS.fffZ `.
            guard let (t, length) = timestampReader.read(t, available: n - messageStart) else { return false }
            timestamp = t
            messageStart += length
        }
        let message = UnsafeRawBufferPointer(start: base + messageStart, count: n - messageStart)
        if handleFastLine(message, slot: slot, timestamp: timestamp, tornPending: fastTable.buckets[bucket].counters.tornPending,
                          needleInLine: needleInLine) {
            fastTable.buckets[bucket].counters.lines += 1
            if let timestamp { fastTable.buckets[bucket].counters.noteTimestamp(timestamp) }
        }
        return true
    }
}
