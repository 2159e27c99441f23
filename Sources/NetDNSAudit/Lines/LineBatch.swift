import CNetDNSShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A stretch of complete lines of the read buffer (each ending in `\n`) with its vector line
/// index: the one place that cuts lines out of bytes.
///
/// The line rules: a line ends at `\n`; a trailing `\r` is dropped; a line longer than
/// ``maxLineBytes`` is reported as ``Next/overlong`` and not handed over. (A last line without a
/// newline is cut by the reader and handed over alone; see ``LineRules``.)
///
/// One vector pass (`netdns_index_lines`) lists the newlines and the `lookup ` needles of a
/// few hundred lines at a time, cheaper than a `memchr` call per line and a separate needle
/// search; each line comes with where the next needle starts, for the ``MessageTriage``.
struct LineBatch {
    /// What ``next()`` found.
    enum Next {
        /// A line (without `\n` and `\r`), and the first `lookup ` at or after its start (or
        /// where the search ended); `nil` when unknown.
        case line(UnsafeRawBufferPointer, needle: UnsafeRawPointer?)
        /// A line longer than ``maxLineBytes``.
        case overlong
        /// The end of the stretch.
        case end
    }

    let base: UnsafeRawPointer
    let count: Int
    let maxLineBytes: Int
    /// The lists of the current pass: the batch's own, or a ``PreparedLineIndex``'s.
    private var index: UnsafeBufferPointer<UInt32>
    private var hits: UnsafeBufferPointer<UInt32>
    private let ownIndex: UnsafeMutableBufferPointer<UInt32>
    private let ownHits: UnsafeMutableBufferPointer<UInt32>
    private let needle: StaticString
    private let rare: (Int, Int)
    private var lineStart = 0
    private var scanFrom = 0
    private var k = 0
    private var found = 0
    private var h = 0
    private var hitCount = 0
    private var scanned = 0
    /// The first needle at or after the current line that an earlier pass listed, if any.
    private var carriedHit = Int.max
    /// Set if a pass ever made no progress: the rest is then cut with memchr.
    private var slow = false

    /// The lines of `stretch`, indexed into `index` and `hits` (reused buffers of at least 128
    /// entries each) with the needle of `cursor`.
    ///
    /// With `prepared`, the stretch starts `offset` bytes into bytes already indexed (with the
    /// same needle) and holds their newlines from there on: their lists are used, not made again.
    init(_ stretch: UnsafeRawBufferPointer, maxLineBytes: Int, index: UnsafeMutableBufferPointer<UInt32>,
         hits: UnsafeMutableBufferPointer<UInt32>, needle: StaticString, rareIndices: (Int, Int),
         prepared: (index: PreparedLineIndex, offset: Int)? = nil) {
        base = stretch.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        count = stretch.baseAddress == nil ? 0 : stretch.count
        self.maxLineBytes = maxLineBytes
        ownIndex = index
        ownHits = hits
        self.index = UnsafeBufferPointer(index)
        self.hits = UnsafeBufferPointer(hits)
        self.needle = needle
        rare = rareIndices
        if let (p, offset) = prepared, count > 0 {
            // As if a pass had listed them: positions are relative to the indexed bytes.
            self.index = p.newlines
            self.hits = p.hits
            scanFrom = -offset
            found = p.newlines.count
            while k < found, Int(p.newlines[k]) < offset { k += 1 }
            hitCount = p.hits.count
            scanned = p.scanned
        }
    }

    /// The next line of the stretch.
    @inline(__always)
    mutating func next() -> Next {
        while k == found {
            if slow || scanFrom >= count { return slow ? nextSlow() : .end }
            refill()
        }
        let newline = scanFrom + Int(index[k])
        k += 1
        // The first needle starting at or after this line (or where the search ended).
        var nextHit: Int
        if carriedHit >= lineStart && carriedHit != Int.max {
            nextHit = carriedHit
        } else {
            carriedHit = Int.max
            while h < hitCount, scanFrom + Int(hits[h]) < lineStart { h += 1 }
            nextHit = h < hitCount ? scanFrom + Int(hits[h]) : scanFrom + scanned
        }
        let start = lineStart
        lineStart = newline + 1
        if newline - start > maxLineBytes { return .overlong }
        return .line(UnsafeRawBufferPointer(start: base + start, count: newline - start).droppingCarriageReturn(), needle: base + nextHit)
    }

    private mutating func refill() {
        if found > 0 || scanned > 0 {
            // A needle listed in the last pass but after its last newline belongs to the next line.
            while h < hitCount, scanFrom + Int(hits[h]) < lineStart { h += 1 }
            if carriedHit < lineStart || carriedHit == Int.max { carriedHit = h < hitCount ? scanFrom + Int(hits[h]) : Int.max }
            scanFrom += scanned
        }
        guard scanFrom < count else { found = 0; k = 0; return }
        var hitCount = 0
        var scanned = 0
        index = UnsafeBufferPointer(ownIndex)
        hits = UnsafeBufferPointer(ownHits)
        found = netdns_index_lines(base + scanFrom, min(count - scanFrom, 1 << 30), ownIndex.baseAddress, ownIndex.count,
                                   needle.utf8Start, needle.utf8CodeUnitCount, rare.0, rare.1,
                                   ownHits.baseAddress, ownHits.count, &hitCount, &scanned)
        self.hitCount = hitCount
        self.scanned = scanned
        k = 0
        h = 0
        // The index lists are large enough for every call to make progress; were one not to,
        // the rest is cut with memchr, line by line, so that nothing is lost.
        if scanned == 0 {
            slow = true
            found = 0
        }
    }

    /// The rest of the stretch cut with memchr, with no needle positions.
    private mutating func nextSlow() -> Next {
        guard lineStart < count, let nl = memchr(base + lineStart, 0x0A, count - lineStart) else { return .end }
        let newline = base.distance(to: UnsafeRawPointer(nl))
        let start = lineStart
        lineStart = newline + 1
        if newline - start > maxLineBytes { return .overlong }
        return .line(UnsafeRawBufferPointer(start: base + start, count: newline - start).droppingCarriageReturn(), needle: nil)
    }
}

/// The rules of a line that no batch holds: the last line of a stream (no newline), or a line
/// whose bytes arrived in pieces.
enum LineRules {
    /// The line as analysed: without its trailing `\r`.
    @inline(__always)
    static func content(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer { bytes.droppingCarriageReturn() }
}
