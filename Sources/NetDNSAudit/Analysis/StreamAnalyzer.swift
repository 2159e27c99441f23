#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Analyses one stream of lines (a file, an archive member, standard input or a followed
/// file): envelope → events → per-instance summary.
///
/// Feed it stretches of complete lines with ``consumeLines(_:maxLineBytes:)`` (what every
/// reader produces; see ``LineBatch``), single lines with ``consume(_:)`` (a last line without a
/// newline) and ``consumeOverlong()``, then call ``finish()``. It joins two parts, each holding
/// only its own state: the ``EnvelopeSelector`` (which envelope decodes) and the
/// ``InstanceRecorder`` (totals, the ``InstanceTable``, the triage).
public final class StreamAnalyzer {
    /// How the envelope is chosen.
    public enum EnvelopeMode: Sendable {
        /// Decided once from the first lines (files).
        case perFile
        /// Decided line by line (standard input, where files may be concatenated).
        case perLine
        /// Forced by `--envelope`.
        case forced(EnvelopeKind)
    }

    public let source: SourceContext
    var selector: EnvelopeSelector
    let recorder: InstanceRecorder
    /// The vector line index's lists, reused by every batch. A pass lists at most
    /// ``linesPerPass`` newlines (the least `LineBatch` takes), so that the lines it indexed
    /// are still in the L1 data cache when they are decoded: 128 lines of the benchmark's 260
    /// bytes are 33 KiB, where 256 lines (66 KiB) were evicted before their turn.
    let newlineIndex = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: StreamAnalyzer.linesPerPass)
    static let linesPerPass = 128
    let needleIndex = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 256)
    let faultIndex = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 256)
    /// The lists of ``voteInPlace(_:)``'s look at the first lines (the batch's stay untouched).
    let voteIndex = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 128)
    let voteHits = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 128)
    let voteFaults = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 128)

    /// Instances kept one by one; beyond this, new instances of a service are folded into
    /// one row per service, so that hostile cardinality cannot exhaust memory.
    public static let detailedInstanceLimit = InstanceTable.detailedLimit
    /// Services with a folded row; beyond this, further services share one row.
    public static let foldedServiceLimit = InstanceTable.foldedServiceLimit

    /// When set, ``finish()`` hands torn starts still pending to ``carriedTorn`` instead of
    /// counting them as torn (a byte range of a file, whose next range may finish them).
    public var carriesPendingTorn = false
    public internal(set) var carriedTorn: [CarriedTorn] = []
    /// When set, ``finish()`` keeps an envelope that still joins pieces of a message in
    /// ``carriedPieces`` instead of ending the message (a range whose next range finishes it).
    var carriesPieces = false
    var carriedPieces: CarriedPieces? = nil

    /// A file's first stretch of lines, copied whole when it holds fewer lines than the vote's
    /// window and no line is held yet (a pod log of 21 lines: read in one go, voted on and
    /// decoded at its end, where its lines are in the copy, none held one by one). Anything
    /// else that comes while it is held (more lines, a last line without a newline, an
    /// over-long line, a snapshot) first holds its lines one by one, as they would have been.
    var heldStretch: [UInt8] = []
    var holdsStretch = false
    var heldStretchMaxLineBytes = 0
    /// Set while a held stretch is held line by line (``spillStretch()``).
    var spilling = false

    public var totals: InputTotals { recorder.totals }
    /// 1-based number of the last physical line.
    public var lineNumber: Int { recorder.lineNumber }

    /// Called with each trace line and each line with a DNS failure as it is handled, with the
    /// instance it belongs to (live views show the newest one); `nil` in batch runs.
    public var evidenceObserver: ((InstanceIdentity, UnsafeRawBufferPointer) -> Void)? {
        get { recorder.evidenceObserver }
        set { recorder.evidenceObserver = newValue }
    }

    deinit {
        newlineIndex.deallocate()
        needleIndex.deallocate()
        faultIndex.deallocate()
        voteIndex.deallocate()
        voteHits.deallocate()
        voteFaults.deallocate()
    }

    /// - Parameter maxLineBytes: the line limit the readers apply (`--max-line-bytes`); a
    ///   message an envelope joins from pieces is bounded by it too (longer: over-long).
    public init(source: SourceContext, mode: EnvelopeMode, maxLineBytes: Int = 1 << 20) {
        self.source = source
        selector = EnvelopeSelector(source: source, mode: mode, maxMessageBytes: max(maxLineBytes, 64))
        recorder = InstanceRecorder(fileName: source.displayName)
    }

    // MARK: Feeding lines

    /// Analyses a stretch of complete lines, each ending in `\n` (as the readers hand them
    /// over); lines longer than `maxLineBytes` are counted as over-long.
    ///
    /// The lines run through the current envelope's own loop (``LineDecoder``); a file's first
    /// lines are held for the vote, and on standard input a line the envelope does not decode
    /// leaves the loop to look for its envelope, then the loop resumes.
    public func consumeLines(_ region: UnsafeRawBufferPointer, maxLineBytes: Int) {
        consumeLines(region, maxLineBytes: maxLineBytes, prepared: nil)
    }

    /// ``consumeLines(_:maxLineBytes:)`` of a region `offset` bytes into bytes already indexed
    /// (see ``LineReadAhead``).
    func consumeLines(_ region: UnsafeRawBufferPointer, maxLineBytes: Int, prepared: (index: PreparedLineIndex, offset: Int)?) {
        if holdsStretch { spillStretch() }
        if selector.isHolding && !selector.holdsLines && !spilling && prepared == nil && region.count > 0
            && !Self.holdsLines(region, atLeast: EnvelopeVote.window) {
            // Fewer lines than the vote's window, none held: kept whole for the end.
            heldStretch.removeAll(keepingCapacity: true)
            heldStretch.append(contentsOf: region)
            heldStretchMaxLineBytes = maxLineBytes
            holdsStretch = true
            return
        }
        recorder.triage.reset(region: region)
        var batch = LineBatch(region, maxLineBytes: maxLineBytes, index: newlineIndex, hits: needleIndex, faults: faultIndex,
                              needle: MessageTriage.failureNeedleText, rareIndices: MessageTriage.failureNeedleRareIndices,
                              prepared: prepared)
        if selector.isHolding && !selector.holdsLines { voteInPlace(batch) }
        lines: while true {
            if selector.isHolding || (selector.isPerLine && selector.index < 0) {
                // One line at a time: held for the vote, or looking for an envelope.
                switch batch.next() {
                case .end:
                    break lines
                case .overlong:
                    consumeOverlong()
                case .line(let line, let marks):
                    recorder.triage.note(line: line, marks: marks)
                    consume(line)
                }
                continue
            }
            let index = selector.index
            guard let mismatch = selector.current.decodeLines(&batch, into: recorder, envelopeIndex: index,
                                                              stopAtMismatch: selector.isPerLine) else { break }
            dispatchPerLine(mismatch, currentTried: true)
        }
        // The buffer is about to be reused: what the triage knows of it no longer holds.
        recorder.triage.reset(region: UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// Decides a file's envelope from the first lines of its first stretch where they are, when
    /// the stretch holds the whole window of the vote (or, with `short`, all the file's lines):
    /// then no line is held, and every line runs through the envelope's loop. (A shorter
    /// stretch leaves its lines to be held.)
    func voteInPlace(_ batch: LineBatch, short: Bool = false) {
        var lines = batch
        lines.useOwnIndex(voteIndex, hits: voteHits, faults: voteFaults)
        var window: [UnsafeRawBufferPointer] = []
        window.reserveCapacity(EnvelopeVote.window)
        collect: while window.count < EnvelopeVote.window {
            switch lines.next() {
            case .end:
                if short { break collect }
                return
            case .overlong: window.append(UnsafeRawBufferPointer(start: nil, count: 0))
            case .line(let line, _): window.append(line)
            }
        }
        selector.decide(voting: window)
    }

    /// Whether a stretch of complete lines holds at least `count` lines (each ends in `\n`;
    /// an over-long one counts, as it does in the vote's window).
    static func holdsLines(_ region: UnsafeRawBufferPointer, atLeast count: Int) -> Bool {
        guard var at = region.baseAddress else { return false }
        let end = at + region.count
        var found = 0
        while found < count, at < end, let nl = memchr(at, 0x0A, at.distance(to: end)) {
            found += 1
            at = UnsafeRawPointer(nl) + 1
        }
        return found >= count
    }

    /// The held stretch, its lines held one by one as ``consumeLines(_:maxLineBytes:)`` holds
    /// them (something else came before the end of the file).
    func spillStretch() {
        holdsStretch = false
        let bytes = heldStretch
        heldStretch = []
        spilling = true
        bytes.withUnsafeBytes { consumeLines($0, maxLineBytes: heldStretchMaxLineBytes) }
        spilling = false
    }

    /// The end of a file that was one short stretch: voted on where its lines are, then decoded
    /// through the envelope's loop.
    func finishStretch() {
        holdsStretch = false
        let bytes = heldStretch
        heldStretch = []
        bytes.withUnsafeBytes { region in
            // Indexed once for the vote and the decoding, when the vote's lists hold the whole
            // stretch (nothing then writes them again: a batch reading prepared lists indexes
            // only what comes after them, and nothing does).
            let prepared = PreparedLineIndex.make(region, newlines: voteIndex, hits: voteHits, faults: voteFaults)
            let shared = prepared.scanned >= region.count ? (index: prepared, offset: 0) : nil
            let batch = LineBatch(region, maxLineBytes: heldStretchMaxLineBytes, index: newlineIndex, hits: needleIndex,
                                  faults: faultIndex, needle: MessageTriage.failureNeedleText,
                                  rareIndices: MessageTriage.failureNeedleRareIndices, prepared: shared)
            voteInPlace(batch, short: true)
            consumeLines(region, maxLineBytes: heldStretchMaxLineBytes, prepared: shared)
        }
    }

    /// Analyses one physical line (without its newline).
    public func consume(_ line: UnsafeRawBufferPointer) {
        if holdsStretch { spillStretch() }
        recorder.countLine()
        if selector.isHolding {
            if selector.hold(line) { decideFileEnvelope() }
            return
        }
        dispatch(line)
    }

    /// Counts a line that was longer than the line limit.
    public func consumeOverlong() {
        if holdsStretch { spillStretch() }
        recorder.countOverlong()
        if selector.isHolding, selector.holdOverlong() { decideFileEnvelope() }
    }

    /// Ends the stream and returns its summary.
    public func finish() -> AuditSummary {
        if holdsStretch { finishStretch() }
        if selector.isHolding { decideFileEnvelope(asBatch: true) }
        if carriesPieces, selector.current.holdsPieces {
            carriedPieces = CarriedPieces(envelope: selector.current, envelopeIndex: selector.index)
        } else {
            selector.current.finishHeld(into: recorder, envelopeIndex: selector.index)
        }
        for index in selector.others.keys.sorted() {
            selector.others[index]?.finishHeld(into: recorder, envelopeIndex: index)
        }
        let table = recorder.table
        for slot in table.rows.indices {
            guard let pending = table.rows[slot].pendingTorn else { continue }
            if carriesPendingTorn {
                carriedTorn.append(CarriedTorn(envelopeIndex: table.rows[slot].envelopeIndex, key: table.rows[slot].key,
                                               direction: pending.direction, fragment: pending.fragment, age: pending.age))
            } else {
                recorder.totals.tornLines += 1
            }
            table.setPendingTorn(nil, slot: slot)
        }
        return recorder.summary()
    }

    // MARK: Envelope

    /// Decides a file's envelope from the held lines, then decodes them: one at a time, or with
    /// `asBatch` (no stretch being read: the end of a file shorter than the vote's window) as
    /// stretches of lines through the envelope's loop, as if they were read again.
    func decideFileEnvelope(asBatch: Bool = false) {
        let (held, overlong) = selector.decide()
        if asBatch, !held.contains(where: { $0.last == 0x0D }) {
            // A held line ending in `\r` lost another `\r` when it was cut: read one at a time.
            replay(held, overlong: overlong)
            return
        }
        let savedLineNumber = recorder.lineNumber
        recorder.lineNumber -= held.count
        for (i, line) in held.enumerated() {
            recorder.lineNumber += 1
            if overlong.contains(i) { continue }
            line.withUnsafeBytes { dispatch($0) }
        }
        recorder.lineNumber = savedLineNumber
    }

    /// Decodes held lines, already counted, as stretches of lines (over-long ones between them
    /// are only numbered again: they were counted as over-long).
    func replay(_ held: [[UInt8]], overlong: Set<Int>) {
        let savedLineNumber = recorder.lineNumber
        recorder.lineNumber -= held.count
        recorder.totals.lines -= held.count - overlong.count
        var stretch: [UInt8] = []
        stretch.reserveCapacity(held.reduce(0) { $0 + $1.count + 1 })
        func flush() {
            guard !stretch.isEmpty else { return }
            stretch.withUnsafeBytes { consumeLines($0, maxLineBytes: Int.max) }
            stretch.removeAll(keepingCapacity: true)
        }
        for (i, line) in held.enumerated() {
            if overlong.contains(i) {
                flush()
                recorder.lineNumber += 1
                continue
            }
            stretch += line
            stretch.append(0x0A)
        }
        flush()
        recorder.lineNumber = savedLineNumber
    }

    /// Decodes one counted line with the current envelope.
    func dispatch(_ line: UnsafeRawBufferPointer) {
        if selector.isPerLine {
            dispatchPerLine(line, currentTried: false)
        } else if !selector.current.decodeLine(line, into: recorder, envelopeIndex: selector.index) {
            recorder.unattributed(line)
        }
    }

    /// Standard input: a line that the current envelope does not decode (or, with
    /// `currentTried`, did not) switches to the envelope that recognises it.
    func dispatchPerLine(_ line: UnsafeRawBufferPointer, currentTried: Bool) {
        if !currentTried, selector.index >= 0,
           selector.current.decodeLine(line, into: recorder, envelopeIndex: selector.index) {
            return
        }
        if let index = EnvelopeRegistry.detectIndex(line, source: source) {
            selector.switchTo(index)
            if !selector.current.decodeLine(line, into: recorder, envelopeIndex: index) { recorder.unattributed(line) }
            return
        }
        if selector.structuredSeen {
            recorder.unattributed(line)
        } else if !selector.plain.decodeLine(line, into: recorder, envelopeIndex: -1) {
            recorder.unattributed(line)
        }
    }
}
