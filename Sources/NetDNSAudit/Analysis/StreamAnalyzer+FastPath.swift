import CNetDNSShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stretches of complete lines, and the fast paths of the commonest envelopes.
///
/// One vector pass lists the newlines and `lookup ` needles of a stretch; each line then goes
/// to the fast path of the current envelope (``KubectlEnvelope``: `StreamAnalyzer+KubectlFastPath.swift`,
/// ``CRIEnvelope``: `StreamAnalyzer+CRIFastPath.swift`), which reads the envelope straight from
/// the buffer. A line a fast path is not certain of goes through ``StreamAnalyzer/consume(_:)``
/// unchanged, so every path counts every line the same way (`FastReadingTests`).
extension StreamAnalyzer {
    /// The fast path lines take now.
    enum FastPath { case none, kubectl, cri }

    /// The index of ``KubectlEnvelope`` in ``EnvelopeRegistry/structured`` (a lazily made
    /// global: the hot path reads its copy in ``FastInstanceTable/envelopeIndex``).
    static let kubectlIndex = EnvelopeRegistry.structured.firstIndex { $0 == KubectlEnvelope.self } ?? -2
    /// The index of ``CRIEnvelope`` in ``EnvelopeRegistry/structured``.
    static let criIndex = EnvelopeRegistry.structured.firstIndex { $0 == CRIEnvelope.self } ?? -2

    /// Reads `source` to its end through `splitter`: stretches of lines to
    /// ``consumeLines(_:maxLineBytes:)``, a last line without a newline to ``consume(_:)``.
    /// A read error is thrown after the lines before it (``LineSplitter/bytesRead`` still tells
    /// how many bytes were read).
    public func read<S: ByteSource>(_ source: inout S, through splitter: LineSplitter) throws(InputError) {
        let maxLineBytes = splitter.maxLineBytes
        try splitter.run(&source, lines: { consumeLines($0, maxLineBytes: maxLineBytes) },
                         line: { consume($0) }, overlong: { consumeOverlong() })
    }

    /// Reads the range of `reader` as ``read(_:through:)`` reads a source; returns the bytes read.
    public func read(_ reader: MappedLineReader, progress: (Int) -> Void) throws(InputError) -> Int {
        let maxLineBytes = reader.maxLineBytes
        return try reader.run(lines: { consumeLines($0, maxLineBytes: maxLineBytes) }, line: { consume($0) },
                              overlong: { consumeOverlong() }, progress: progress)
    }

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
                if newline - lineStart > maxLineBytes {
                    consumeOverlong()
                } else {
                    let line = UnsafeRawBufferPointer(start: start + lineStart, count: newline - lineStart).droppingCarriageReturn()
                    lookupCursor.assume(from: start + lineStart, next: start + nextHit)
                    let needleInLine = nextHit + needleLength <= newline
                    let handled: Bool
                    switch fastPath {
                    case .kubectl: handled = consumeKubectlLine(line, needleInLine: needleInLine)
                    case .cri: handled = consumeCRILine(line, needleInLine: needleInLine)
                    case .none: handled = false
                    }
                    if !handled {
                        consume(line)
                        if fastPath == .cri { noteCRIPieces() }
                    }
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

    /// Counts a line whose envelope a fast path has read, and hands its message to
    /// ``handleMessage(_:slot:timestamp:)`` unless it is ordinary output: no trace, no torn
    /// piece pending or possible, no `lookup `. Returns whether it was ordinary: the caller then
    /// adds it to the instance's counters (the line is counted in ``totals`` either way).
    @inline(__always)
    func handleFastLine(_ message: UnsafeRawBufferPointer, slot: Int, timestamp: Int64?, tornPending: Bool,
                        needleInLine: Bool) -> Bool {
        lineNumber += 1
        totals.lines += 1
        // "go packa": the first eight bytes of every trace line (GoTraceParser.prefix).
        let maybeTrace = message.count >= 8 && message.baseAddress!.loadUnaligned(as: UInt64.self) == 0x616B_6361_7020_6F67
        if maybeTrace || tornPending || needleInLine || GoTraceParser.isOrphanContinuation(message) {
            handleMessage(message, slot: slot, timestamp: timestamp)
            return false
        }
        totals.ordinaryLines += 1
        return true
    }

    /// The fast path for the current envelope: lines are decoded one by one until a file's
    /// envelope is decided (per-line mode decides each line).
    @inline(__always)
    var fastPath: FastPath {
        if !decided, case .perFile = mode { return .none }
        if envelopeIndex == fastTable.envelopeIndex { return .kubectl }
        if envelopeIndex == criEnvelopeIndex { return .cri }
        return .none
    }
}
