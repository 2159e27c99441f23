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
/// One vector pass (`netdns_index_lines`) lists the newlines, the `lookup ` needles and the
/// fault texts that may sit anywhere in a message of a few hundred lines at a time, cheaper than a `memchr` call per line and separate searches; each line comes with
/// where the next needle and the next fault text start (``LineMarks``), for the
/// ``MessageTriage``.
struct LineBatch {
    /// What ``next()`` found.
    enum Next {
        /// A line (without `\n` and `\r`), and where the next marks at or after its start are;
        /// `nil` when unknown.
        case line(UnsafeRawBufferPointer, marks: LineMarks?)
        /// A line longer than ``maxLineBytes``.
        case overlong
        /// The end of the stretch.
        case end
    }

    let base: UnsafeRawPointer
    let count: Int
    let maxLineBytes: Int
    /// The newlines of the current pass: the batch's own, or a ``PreparedLineIndex``'s.
    private var index: UnsafeBufferPointer<UInt32>
    private var ownIndex: UnsafeMutableBufferPointer<UInt32>
    private var hits: MarkList
    private var faults: MarkList
    private let needle: StaticString
    private let rare: (Int, Int)
    private var lineStart = 0
    private var scanFrom = 0
    private var k = 0
    private var found = 0
    private var scanned = 0
    /// Set if a pass ever made no progress: the rest is then cut with memchr.
    private var slow = false

    /// The lines of `stretch`, indexed into `index`, `hits` and `faults` (reused buffers of at
    /// least 128 entries each) with `needle` (tested first at its `rareIndices`).
    ///
    /// With `prepared`, the stretch starts `offset` bytes into bytes already indexed (with the
    /// same needle) and holds their newlines from there on: their lists are used, not made again.
    init(_ stretch: UnsafeRawBufferPointer, maxLineBytes: Int, index: UnsafeMutableBufferPointer<UInt32>,
         hits: UnsafeMutableBufferPointer<UInt32>, faults: UnsafeMutableBufferPointer<UInt32>,
         needle: StaticString, rareIndices: (Int, Int), prepared: (index: PreparedLineIndex, offset: Int)? = nil) {
        base = stretch.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        count = stretch.baseAddress == nil ? 0 : stretch.count
        self.maxLineBytes = maxLineBytes
        ownIndex = index
        self.index = UnsafeBufferPointer(index)
        self.hits = MarkList(own: hits)
        self.faults = MarkList(own: faults)
        self.needle = needle
        rare = rareIndices
        if let (p, offset) = prepared, count > 0 {
            // As if a pass had listed them: positions are relative to the indexed bytes.
            self.index = p.newlines
            scanFrom = -offset
            found = p.newlines.count
            while k < found, Int(p.newlines[k]) < offset { k += 1 }
            self.hits.use(p.hits)
            self.faults.use(p.faults)
            scanned = p.scanned
        }
    }

    /// Makes further passes list into `index`, `hits` and `faults` (at least 128 entries each)
    /// instead of the buffers given at the start: a copy of a batch that looks ahead leaves the
    /// lists of the original untouched.
    mutating func useOwnIndex(_ index: UnsafeMutableBufferPointer<UInt32>, hits: UnsafeMutableBufferPointer<UInt32>,
                              faults: UnsafeMutableBufferPointer<UInt32>) {
        ownIndex = index
        self.hits.own = hits
        self.faults.own = faults
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
        // The first needle and text starting at or after this line (or where the search ended).
        let end = scanFrom + scanned
        let nextHit = hits.first(atOrAfter: lineStart, scanFrom: scanFrom, end: end)
        let nextFault = faults.first(atOrAfter: lineStart, scanFrom: scanFrom, end: end)
        let start = lineStart
        lineStart = newline + 1
        if newline - start > maxLineBytes { return .overlong }
        return .line(UnsafeRawBufferPointer(start: base + start, count: newline - start).droppingCarriageReturn(),
                     marks: LineMarks(needle: base + nextHit, fault: base + nextFault))
    }

    private mutating func refill() {
        if found > 0 || scanned > 0 {
            // A mark listed in the last pass but after its last newline belongs to the next line.
            hits.carry(lineStart: lineStart, scanFrom: scanFrom)
            faults.carry(lineStart: lineStart, scanFrom: scanFrom)
            scanFrom += scanned
        }
        guard scanFrom < count else { found = 0; k = 0; return }
        var hitCount = 0
        var faultCount = 0
        var scanned = 0
        index = UnsafeBufferPointer(ownIndex)
        found = netdns_index_lines(base + scanFrom, min(count - scanFrom, 1 << 30), ownIndex.baseAddress, ownIndex.count,
                                   needle.utf8Start, needle.utf8CodeUnitCount, rare.0, rare.1,
                                   hits.own.baseAddress, min(hits.own.count, faults.own.count), &hitCount,
                                   faults.own.baseAddress, &faultCount, &scanned)
        hits.startPass(count: hitCount)
        faults.startPass(count: faultCount)
        self.scanned = scanned
        k = 0
        // The index lists are large enough for every call to make progress; were one not to,
        // the rest is cut with memchr, line by line, so that nothing is lost.
        if scanned == 0 {
            slow = true
            found = 0
        }
    }

    /// The rest of the stretch cut with memchr, with no marks.
    private mutating func nextSlow() -> Next {
        guard lineStart < count, let nl = memchr(base + lineStart, 0x0A, count - lineStart) else { return .end }
        let newline = base.distance(to: UnsafeRawPointer(nl))
        let start = lineStart
        lineStart = newline + 1
        if newline - start > maxLineBytes { return .overlong }
        return .line(UnsafeRawBufferPointer(start: base + start, count: newline - start).droppingCarriageReturn(), marks: nil)
    }
}

/// Where the line index found the next marks at or after a line's start: the next `lookup `
/// needle and the next fault text (``FaultRecognizer/anywhereNeedles``), each the end of what
/// was searched when there is none.
struct LineMarks {
    let needle: UnsafeRawPointer
    let fault: UnsafeRawPointer
}

/// One of a pass's lists of marks (needle or fault text starts, in order), read as the lines
/// go by.
private struct MarkList {
    var own: UnsafeMutableBufferPointer<UInt32>
    /// The current pass's list: `own`, or a ``PreparedLineIndex``'s.
    private var marks: UnsafeBufferPointer<UInt32>
    private var count = 0
    private var h = 0
    /// The first mark at or after the current line that an earlier pass listed, if any.
    private var carried = Int.max

    init(own: UnsafeMutableBufferPointer<UInt32>) {
        self.own = own
        marks = UnsafeBufferPointer(own)
    }

    /// Reads a prepared list instead of making one.
    mutating func use(_ prepared: UnsafeBufferPointer<UInt32>) {
        marks = prepared
        count = prepared.count
        h = 0
    }

    /// A pass listed `count` marks in `own`.
    mutating func startPass(count: Int) {
        marks = UnsafeBufferPointer(own)
        self.count = count
        h = 0
    }

    /// The first mark at or after `lineStart`, or `end` (where the search ended); positions are
    /// the pass's offsets plus `scanFrom`.
    @inline(__always)
    mutating func first(atOrAfter lineStart: Int, scanFrom: Int, end: Int) -> Int {
        if carried >= lineStart && carried != Int.max { return carried }
        carried = Int.max
        while h < count, scanFrom + Int(marks[h]) < lineStart { h += 1 }
        return h < count ? scanFrom + Int(marks[h]) : end
    }

    /// Before the next pass: a mark of this one at or after `lineStart` (past the pass's last
    /// newline) is kept for the lines that follow.
    mutating func carry(lineStart: Int, scanFrom: Int) {
        while h < count, scanFrom + Int(marks[h]) < lineStart { h += 1 }
        if carried < lineStart || carried == Int.max { carried = h < count ? scanFrom + Int(marks[h]) : Int.max }
    }
}

/// The rules of a line that no batch holds: the last line of a stream (no newline), or a line
/// whose bytes arrived in pieces.
enum LineRules {
    /// The line as analysed: without its trailing `\r`.
    @inline(__always)
    static func content(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer { bytes.droppingCarriageReturn() }
}
