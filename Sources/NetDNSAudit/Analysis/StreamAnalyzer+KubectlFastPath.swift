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
/// timestamp, another envelope) goes through ``StreamAnalyzer/consume(_:)`` unchanged, so both
/// paths count every line the same way.
extension StreamAnalyzer {
    /// The index of ``KubectlEnvelope`` in ``EnvelopeRegistry/structured`` (a lazily made
    /// global: the hot path reads its copy in ``FastInstanceTable/envelopeIndex``).
    static let kubectlIndex = EnvelopeRegistry.structured.firstIndex { $0 == KubectlEnvelope.self } ?? -2

    /// Analyses a stretch of complete lines, each ending in `\n` (as ``LineSplitter`` hands
    /// them over); lines longer than `maxLineBytes` are counted as over-long.
    ///
    /// One vector pass (`netdns_index_lines`) lists the newlines and the `lookup ` needles of a
    /// few hundred lines at a time, cheaper than a `memchr` call per line and a separate needle
    /// search; the lines are then handled one by one, and what the pass found about the needle
    /// is handed to the ``lookupCursor`` before a line takes the general path.
    public func consumeLines(_ region: UnsafeRawBufferPointer, maxLineBytes: Int) {
        guard let start = region.baseAddress else { return }
        noteRegion(region)
        let end = region.count
        let index = newlineIndex, hits = needleIndex
        let needle = lookupCursor.needle, rare = lookupCursor.rareIndices
        let needleLength = needle.utf8CodeUnitCount
        var lineStart = 0
        var scanFrom = 0
        /// The first needle at or after the current line that an earlier pass listed, if any.
        var carriedHit = Int.max
        while scanFrom < end {
            var scanned = 0
            var hitCount = 0
            let found = netdns_index_lines(start + scanFrom, min(end - scanFrom, 1 << 30), index.baseAddress, index.count,
                                           needle.utf8Start, needleLength, rare.0, rare.1,
                                           hits.baseAddress, hits.count, &hitCount, &scanned)
            var h = 0
            for k in 0..<found {
                let newline = scanFrom + Int(index[k])
                // The first needle starting at or after this line (or where the search ended).
                var nextHit: Int
                if carriedHit >= lineStart && carriedHit != Int.max {
                    nextHit = carriedHit
                } else {
                    carriedHit = Int.max
                    while h < hitCount, scanFrom + Int(hits[h]) < lineStart { h += 1 }
                    nextHit = h < hitCount ? scanFrom + Int(hits[h]) : scanFrom + scanned
                }
                var length = newline - lineStart
                if length > maxLineBytes {
                    consumeOverlong()
                } else {
                    let p = start + lineStart
                    if length > 0, p.load(fromByteOffset: length - 1, as: UInt8.self) == 0x0D { length -= 1 }
                    let line = UnsafeRawBufferPointer(start: p, count: length)
                    lookupCursor.assume(from: p, next: start + nextHit)
                    if !(fastPathOpen && consumeKubectlLine(line, needleInLine: nextHit + needleLength <= newline)) { consume(line) }
                }
                lineStart = newline + 1
            }
            // A needle listed in this pass but after the last newline belongs to the next line.
            while h < hitCount, scanFrom + Int(hits[h]) < lineStart { h += 1 }
            if carriedHit < lineStart || carriedHit == Int.max { carriedHit = h < hitCount ? scanFrom + Int(hits[h]) : Int.max }
            // The index lists are large enough for every call to make progress; were one not to,
            // the rest is cut with memchr, line by line, so that nothing is lost.
            if scanned == 0 {
                noteRegion(UnsafeRawBufferPointer(start: nil, count: 0))
                LineSplitter.cut(UnsafeRawBufferPointer(start: start + lineStart, count: end - lineStart), maxLineBytes: maxLineBytes,
                                 line: { consume($0) }, overlong: { consumeOverlong() })
                break
            }
            scanFrom += scanned
        }
        // The buffer is about to be reused: what the cursor knows of it no longer holds.
        noteRegion(UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// Whether lines are being decoded as kubectl lines right now.
    @inline(__always)
    var fastPathOpen: Bool {
        guard envelopeIndex == fastTable.envelopeIndex else { return false }
        if decided { return true }
        if case .perLine = mode { return true }
        return false
    }

    /// Handles `line` when it is a kubectl line of a known instance with the usual timestamp (or
    /// none); returns `false`, having changed nothing, for any other line. `needleInLine` is
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
        guard envelopeIndex == fastTable.envelopeIndex,
              let bucket = fastTable.find(UnsafeRawBufferPointer(start: base + 5, count: close - 5)) else { return false }
        let slot = Int(fastTable.buckets[bucket].slot)
        var messageStart = close + 1
        if messageStart < n, base.load(fromByteOffset: messageStart, as: UInt8.self) == ASCII.space { messageStart += 1 }
        var timestamp = Int64.min
        let t = base + messageStart
        if n - messageStart >= 20, ASCII.isDigit(t.load(as: UInt8.self)), t.load(fromByteOffset: 4, as: UInt8.self) == 0x2D,
           t.load(fromByteOffset: 10, as: UInt8.self) == 0x54 {
            // `--timestamps`: only the form kubectl prints, `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ `.
            guard n - messageStart >= 31, t.load(fromByteOffset: 19, as: UInt8.self) == 0x2E,
                  t.load(fromByteOffset: 29, as: UInt8.self) == 0x5A, t.load(fromByteOffset: 30, as: UInt8.self) == ASCII.space,
                  let nanos = Self.nineDigits(t + 20),
                  let seconds = fastPathSeconds.nanoseconds(of: t) else { return false }
            timestamp = seconds &+ nanos
            messageStart += 31
        }
        let message = UnsafeRawBufferPointer(start: base + messageStart, count: n - messageStart)
        lineNumber += 1
        totals.lines += 1
        // "go packa": the first eight bytes of every trace line (GoTraceParser.prefix).
        let maybeTrace = message.count >= 8 && message.baseAddress!.loadUnaligned(as: UInt64.self) == 0x616B_6361_7020_6F67
        if maybeTrace || fastTable.buckets[bucket].counters.tornPending || needleInLine || GoTraceParser.isOrphanContinuation(message) {
            handleMessage(message, slot: slot, timestamp: timestamp == Int64.min ? nil : timestamp)
            return true
        }
        totals.ordinaryLines += 1
        fastTable.buckets[bucket].counters.lines += 1
        if timestamp != Int64.min { fastTable.buckets[bucket].counters.noteTimestamp(timestamp) }
        return true
    }

    /// The nine ASCII digits at `p` as a number, or `nil` when one is not a digit.
    @inline(__always)
    static func nineDigits(_ p: UnsafeRawPointer) -> Int64? {
        let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
        // Every byte 0x30...0x39: the high nibble is 3 and adding 6 does not carry out of it.
        guard word & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030,
              (word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030 else { return nil }
        let last = p.load(fromByteOffset: 8, as: UInt8.self)
        guard ASCII.isDigit(last) else { return nil }
        var v = word &- 0x3030_3030_3030_3030
        v = (v &* 10 &+ (v >> 8)) & 0x00FF_00FF_00FF_00FF
        v = (v &* 100 &+ (v >> 16)) & 0x0000_FFFF_0000_FFFF
        v = (v &* 10000 &+ (v >> 32)) & 0xFFFF_FFFF
        return Int64(v) * 10 + Int64(last - 0x30)
    }
}

/// The whole seconds of an RFC 3339 time (`YYYY-MM-DDTHH:MM:SS`), parsed once per second.
struct CachedSeconds {
    private var key: (UInt64, UInt64, UInt32) = (0, 0, 0)
    private var nanosecondsOfKey: Int64? = nil

    /// The seconds at `p` in nanoseconds since 1970, or `nil` when they are no valid time.
    @inline(__always)
    mutating func nanoseconds(of p: UnsafeRawPointer) -> Int64? {
        let k = (p.loadUnaligned(as: UInt64.self), p.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                 p.loadUnaligned(fromByteOffset: 15, as: UInt32.self))
        if let cached = nanosecondsOfKey, k == key { return cached }
        guard let seconds = RFC3339.parseSeconds(UnsafeRawBufferPointer(start: p, count: 19)) else { return nil }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow, scaled <= Int64.max - 999_999_999 else { return nil }
        key = k
        nanosecondsOfKey = scaled
        return scaled
    }
}
