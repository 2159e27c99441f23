#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Analyses one stream of lines (a file, an archive member or standard input):
/// envelope → events → per-instance summary.
///
/// Feed it physical lines with ``consume(_:)`` (or ``consumeOverlong()``), then call ``finish()``.
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
    let mode: EnvelopeMode
    /// Lines held until the envelope of a file is decided.
    var undecided: [[UInt8]] = []
    var undecidedOverlong: [Int] = []
    static let detectionWindow = EnvelopeVote.window

    /// The current envelope (plain until one is decided).
    var envelope: any LogEnvelope
    var decided = false
    var envelopeIndex = -1
    /// Envelopes already seen in per-line mode, by their index in ``EnvelopeRegistry/structured``.
    var perLineEnvelopes: [Int: any LogEnvelope] = [:]
    var structuredSeen = false
    lazy var plain = PlainEnvelope(source: source)

    var instances: [InstanceState] = []
    /// What every line of an instance changes, by slot, kept apart from the rest of its
    /// summary so that the per-line work touches one small record (see ``summary(ofSlot:)``).
    var hot: [HotCounters] = []
    /// The kubectl instances of the fast path, with counters of their own (see
    /// `StreamAnalyzer+KubectlFastPath.swift`); drained into ``hot`` before summaries are made.
    let fastTable = FastInstanceTable()
    /// Instances kept one by one; beyond this, new instances of a service are folded into
    /// one row per service, so that hostile cardinality cannot exhaust memory.
    public static let detailedInstanceLimit = 2_000
    /// Services with a folded row; beyond this, further services share one row.
    public static let foldedServiceLimit = 1_000
    /// Detailed instances so far (``instances`` also holds the folded rows).
    var detailedInstances = 0
    /// The folded row of each service, by service and namespace.
    var foldedSlots: [InstanceIdentity: Int] = [:]
    /// Fingerprints of the instances already folded, to count each once.
    var foldedKeys = Set<Int>()
    var slotsByKey = InstanceKeyTable()
    var lastKey = InstanceKeyTable.KeyRef(offset: 0, length: 0)
    var lastSlot = -1
    var lastEnvelopeIndex = Int.min
    /// Where the next `lookup ` is in the current read buffer, so most lines skip the failure scan.
    var lookupCursor = NeedleCursor("lookup ", rareIndices: (3, 5))
    /// Reads the timestamps of the fast paths (see `StreamAnalyzer+FastPath.swift`).
    var timestampReader = FastTimestampReader()
    /// Whether the CRI envelope holds partial pieces of a stdout or stderr message: a full
    /// line of that stream then ends a joined message, which only the envelope can do.
    var criPiecesPending = (stdout: false, stderr: false)
    /// ``criIndex``, read once (a static is a lazily made global, checked at every use).
    let criEnvelopeIndex = StreamAnalyzer.criIndex
    /// Offsets of newlines found by one vector scan in ``consumeLines(_:maxLineBytes:)``.
    let newlineIndex = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 256)
    /// Offsets of `lookup ` needles found by the same scan.
    let needleIndex = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 256)

    public internal(set) var totals = InputTotals()
    /// When set, ``finish()`` hands torn starts still pending to ``carriedTorn`` instead of
    /// counting them as torn (a byte range of a file, whose next range may finish them).
    public var carriesPendingTorn = false
    public internal(set) var carriedTorn: [CarriedTorn] = []
    /// 1-based number of the last physical line.
    public internal(set) var lineNumber = 0

    /// Called with each trace line and each line with a DNS failure as it is handled, with the
    /// instance it belongs to (live views show the newest one); `nil` in batch runs.
    public var evidenceObserver: ((InstanceIdentity, UnsafeRawBufferPointer) -> Void)?

    /// Lines of an instance after which a torn trace start is given up.
    static let tornPatience = 64

    struct InstanceState {
        var summary: InstanceSummary
        var pendingTorn: PendingTorn?
        var envelopeIndex: Int
        var key: [UInt8]
    }

    /// The line count, first and last seen times of one instance, and whether a torn trace
    /// start waits for its rest.
    struct HotCounters {
        var lines = 0
        var firstSeen = Int64.max
        var lastSeen = Int64.min
        var tornPending = false

        @inline(__always)
        mutating func noteTimestamp(_ t: Int64) {
            if t < firstSeen { firstSeen = t }
            if t > lastSeen { lastSeen = t }
        }

        /// Adds the lines and times counted elsewhere for the same instance.
        mutating func add(_ other: HotCounters) {
            lines += other.lines
            firstSeen = min(firstSeen, other.firstSeen)
            lastSeen = max(lastSeen, other.lastSeen)
        }
    }

    /// The summary of a slot, with its hot counters folded in.
    func summary(ofSlot slot: Int) -> InstanceSummary {
        var summary = instances[slot].summary
        let counters = hot[slot]
        summary.lines += counters.lines
        if counters.firstSeen <= counters.lastSeen {
            summary.noteTimestamp(counters.firstSeen)
            summary.noteTimestamp(counters.lastSeen)
        }
        return summary
    }

    func setPendingTorn(_ pending: PendingTorn?, slot: Int) {
        instances[slot].pendingTorn = pending
        hot[slot].tornPending = pending != nil
        fastTable.setTornPending(pending != nil, slot: slot)
    }

    struct PendingTorn {
        var direction: LookupDirection
        var fragment: [UInt8]
        var age: Int
    }

    deinit {
        newlineIndex.deallocate()
        needleIndex.deallocate()
    }

    public init(source: SourceContext, mode: EnvelopeMode) {
        self.source = source
        self.mode = mode
        envelope = PlainEnvelope(source: source)
        switch mode {
        case .forced(let kind):
            let type = EnvelopeRegistry.type(for: kind)
            envelope = type.init(source: source)
            decided = true
            envelopeIndex = EnvelopeRegistry.structured.firstIndex { $0 == type } ?? -1
            structuredSeen = envelopeIndex >= 0
        case .perLine, .perFile:
            break
        }
    }

    // MARK: Feeding lines

    /// Analyses one physical line (without its newline).
    public func consume(_ line: UnsafeRawBufferPointer) {
        lineNumber += 1
        totals.lines += 1
        if !decided, case .perFile = mode {
            undecided.append(Array(line))
            if undecided.count >= Self.detectionWindow { decideFileEnvelope() }
            return
        }
        dispatch(line)
    }

    /// A new region of the read buffer: the lines that follow are slices of it (used to search
    /// the whole region at once instead of every line).
    public func noteRegion(_ region: UnsafeRawBufferPointer) {
        lookupCursor.reset(region: region)
    }

    /// Counts a line that was longer than the line limit.
    public func consumeOverlong() {
        lineNumber += 1
        totals.lines += 1
        totals.overlongLines += 1
        if !decided, case .perFile = mode {
            undecided.append([])
            undecidedOverlong.append(undecided.count - 1)
        }
    }

    /// Ends the stream and returns its summary.
    public func finish() -> AuditSummary {
        if !decided, case .perFile = mode { decideFileEnvelope() }
        let index = envelopeIndex
        // Finished on a copy: handling a held-back message may look up the current envelope
        // (for the identity of a new instance), which must not overlap a mutation of it.
        var current = envelope
        current.finish { handleHeldBack($0, envelopeIndex: index) }
        envelope = current
        for (index, var env) in perLineEnvelopes.sorted(by: { $0.key < $1.key }) {
            env.finish { handleHeldBack($0, envelopeIndex: index) }
            perLineEnvelopes[index] = env
        }
        fastTable.drain(into: &hot)
        var summary = AuditSummary()
        for i in instances.indices where instances[i].pendingTorn != nil {
            if carriesPendingTorn, let pending = instances[i].pendingTorn {
                carriedTorn.append(CarriedTorn(envelopeIndex: instances[i].envelopeIndex, key: instances[i].key,
                                               direction: pending.direction, fragment: pending.fragment, age: pending.age))
            } else {
                totals.tornLines += 1
            }
            setPendingTorn(nil, slot: i)
        }
        summary.totals = totals
        summary.totals.files = 1
        for slot in instances.indices { summary.add(self.summary(ofSlot: slot)) }
        return summary
    }

    // MARK: Envelope

    /// Picks the envelope that most of the first lines have, then replays them.
    func decideFileEnvelope() {
        decided = true
        if let best = EnvelopeVote.winner(undecided, source: source) {
            envelopeIndex = best
            envelope = EnvelopeRegistry.structured[best].init(source: source)
            structuredSeen = true
        } else {
            envelopeIndex = -1
            envelope = plain
        }
        let held = undecided
        let overlong = Set(undecidedOverlong)
        undecided = []
        undecidedOverlong = []
        let savedLineNumber = lineNumber
        lineNumber -= held.count
        for (i, line) in held.enumerated() {
            lineNumber += 1
            if overlong.contains(i) { continue }
            line.withUnsafeBytes { dispatch($0) }
        }
        lineNumber = savedLineNumber
    }

    func dispatch(_ line: UnsafeRawBufferPointer) {
        switch mode {
        case .perFile, .forced:
            let result = envelope.decode(line)
            route(result, line: line, envelopeIndex: envelopeIndex)
        case .perLine:
            dispatchPerLine(line)
        }
    }

    func dispatchPerLine(_ line: UnsafeRawBufferPointer) {
        if envelopeIndex >= 0 {
            let result = envelope.decode(line)
            if case .mismatch = result {} else {
                route(result, line: line, envelopeIndex: envelopeIndex)
                return
            }
        }
        if let type = EnvelopeRegistry.detect(line, source: source),
           let index = EnvelopeRegistry.structured.firstIndex(where: { $0 == type }) {
            if envelopeIndex >= 0 { perLineEnvelopes[envelopeIndex] = envelope }
            envelope = perLineEnvelopes.removeValue(forKey: index) ?? type.init(source: source)
            envelopeIndex = index
            structuredSeen = true
            let result = envelope.decode(line)
            route(result, line: line, envelopeIndex: index)
            return
        }
        if structuredSeen {
            unattributed(line)
        } else {
            var p = plain
            let result = p.decode(line)
            route(result, line: line, envelopeIndex: -1)
        }
    }

    func route(_ result: EnvelopeDecoding, line: UnsafeRawBufferPointer, envelopeIndex: Int) {
        switch result {
        case .line(let enveloped):
            handle(enveloped, envelopeIndex: envelopeIndex)
        case .continued:
            totals.continuationLines += 1
        case .mismatch:
            unattributed(line)
        }
    }

    // MARK: Attribution

    /// The instance slot of `key`, created on first sight (beyond ``detailedInstanceLimit``, the
    /// folded row of its service).
    func slot(for key: UnsafeRawBufferPointer, envelopeIndex: Int) -> Int {
        if envelopeIndex == lastEnvelopeIndex, lastSlot >= 0, slotsByKey.keyEquals(lastKey, key) {
            return lastSlot
        }
        let slot: Int
        if let existing = slotsByKey.find(key, envelopeIndex: envelopeIndex) {
            slot = existing.slot
            lastKey = existing.key
        } else {
            let identity: InstanceIdentity
            if envelopeIndex >= 0 {
                let env: any LogEnvelope = envelopeIndex == self.envelopeIndex ? envelope
                    : (perLineEnvelopes[envelopeIndex] ?? EnvelopeRegistry.structured[envelopeIndex].init(source: source))
                identity = env.identity(forKey: key)
            } else {
                identity = plain.identity(forKey: key)
            }
            if detailedInstances >= Self.detailedInstanceLimit {
                // Not remembered by key: each line of a folded instance finds its row again.
                lastSlot = -1
                return foldedSlot(for: identity, key: key, envelopeIndex: envelopeIndex)
            }
            detailedInstances += 1
            slot = instances.count
            var summary = InstanceSummary(identity: identity)
            summary.files = [source.displayName]
            instances.append(InstanceState(summary: summary, pendingTorn: nil, envelopeIndex: envelopeIndex, key: Array(key)))
            hot.append(HotCounters())
            lastKey = slotsByKey.insert(key, envelopeIndex: envelopeIndex, slot: slot)
            if envelopeIndex == fastTable.envelopeIndex { fastTable.insert(key, slot: slot) }
        }
        lastSlot = slot
        lastEnvelopeIndex = envelopeIndex
        return slot
    }

    /// The row that instances of `identity`'s service are folded into, counting each instance once.
    func foldedSlot(for identity: InstanceIdentity, key: UnsafeRawBufferPointer, envelopeIndex: Int) -> Int {
        var rowIdentity = InstanceIdentity(service: identity.service, name: InstanceSummary.foldedRowName, namespace: identity.namespace)
        if foldedSlots[rowIdentity] == nil && foldedSlots.count >= Self.foldedServiceLimit {
            // So many services that their rows are folded too.
            rowIdentity = InstanceIdentity(service: InstanceSummary.foldedRowName, name: InstanceSummary.foldedRowName)
        }
        var hasher = Hasher()
        hasher.combine(envelopeIndex)
        hasher.combine(bytes: key)
        let isNew = foldedKeys.insert(hasher.finalize()).inserted
        let slot: Int
        if let existing = foldedSlots[rowIdentity] {
            slot = existing
        } else {
            slot = instances.count
            var summary = InstanceSummary(identity: rowIdentity)
            summary.files = [source.displayName]
            instances.append(InstanceState(summary: summary, pendingTorn: nil, envelopeIndex: envelopeIndex, key: []))
            hot.append(HotCounters())
            foldedSlots[rowIdentity] = slot
        }
        if isNew { instances[slot].summary.foldedInstances += 1 }
        return slot
    }

    // MARK: Events

    func handle(_ line: EnvelopedLine, envelopeIndex: Int) {
        handleMessage(line.message, slot: slot(for: line.instanceKey, envelopeIndex: envelopeIndex), timestamp: line.timestamp)
    }

    /// Handles the message of a line of the instance in `slot` (the line already counted in
    /// ``totals``): trace, torn piece, DNS failure or ordinary output.
    @inline(__always)
    func handleMessage(_ message: UnsafeRawBufferPointer, slot: Int, timestamp: Int64?) {
        hot[slot].lines += 1
        if let t = timestamp { hot[slot].noteTimestamp(t) }
        if GoTraceParser.isTrace(message) {
            handleTrace(message, slot: slot)
            evidenceObserver?(instances[slot].summary.identity, message)
            return
        }
        if hot[slot].tornPending, finishTorn(message, slot: slot) { return }
        if GoTraceParser.isOrphanContinuation(message) {
            totals.tornLines += 1
            return
        }
        if scanFailures(message, slot: slot) {
            totals.failureLines += 1
            evidenceObserver?(instances[slot].summary.identity, message)
        } else {
            totals.ordinaryLines += 1
        }
    }

    /// A message an envelope held back to the end (an unfinished partial message). Its pieces
    /// were counted as continuation lines; the last one is now counted in the bucket of the
    /// message instead, so every physical line stays in exactly one bucket.
    func handleHeldBack(_ line: EnvelopedLine, envelopeIndex: Int) {
        if totals.continuationLines > 0 { totals.continuationLines -= 1 }
        handle(line, envelopeIndex: envelopeIndex)
    }

    /// A line outside any instance: counted and scanned, attributed to nobody.
    func unattributed(_ line: UnsafeRawBufferPointer) {
        totals.unattributedLines += 1
        var found = 0
        if lookupCursor.mayOccur(in: line) { DNSFailureScanner.scan(line) { _ in found += 1 } }
        if found > 0 {
            totals.failures += found
            totals.failureLines += 1
        } else {
            totals.ordinaryLines += 1
        }
    }

    func handleTrace(_ message: UnsafeRawBufferPointer, slot: Int) {
        let event = GoTraceParser.parse(message)
        switch event {
        case .decision(let decision):
            totals.recognisedTraceLines += 1
            instances[slot].summary.traceLines += 1
            instances[slot].summary.decisions.add(decision)
            instances[slot].summary.debugLevel = max(instances[slot].summary.debugLevel, 1)
            switch decision.processWidePath {
            case .cgo?: noteEvidence(message, slot: slot, cgo: true)
            case .go?: noteEvidence(message, slot: slot, cgo: false)
            case nil: break
            }
        case .invalidModeNotice:
            totals.recognisedTraceLines += 1
            instances[slot].summary.traceLines += 1
            instances[slot].summary.invalidModeNotices += 1
            instances[slot].summary.debugLevel = max(instances[slot].summary.debugLevel, 1)
        case .confVal:
            totals.recognisedTraceLines += 1
            instances[slot].summary.traceLines += 1
            instances[slot].summary.confValLines += 1
            instances[slot].summary.debugLevel = 2
        case .order(let direction, let order):
            totals.recognisedTraceLines += 1
            countOrder(direction, order, slot: slot, message: message)
        case .tornOrderStart(let direction, let fragment):
            if instances[slot].pendingTorn != nil { totals.tornLines += 1 }
            setPendingTorn(PendingTorn(direction: direction, fragment: fragment, age: 0), slot: slot)
            // The foreign text inside the torn line is a line of its own and may report failures.
            _ = scanFailures(message, slot: slot)
        case .unrecognised:
            totals.unrecognisedTraceLines += 1
            totals.noteUnrecognisedSample(message.slice(0, min(message.count, 300)).string)
        }
    }

    func countOrder(_ direction: LookupDirection, _ order: LookupOrder, slot: Int, message: UnsafeRawBufferPointer) {
        instances[slot].summary.traceLines += 1
        instances[slot].summary.debugLevel = 2
        switch direction {
        case .forward: instances[slot].summary.forwardOrders.add(order)
        case .reverse: instances[slot].summary.reverseOrders.add(order)
        }
        noteEvidence(message, slot: slot, cgo: order.path == .cgo)
    }

    /// Tries to finish the instance's torn trace line with `message`; returns true when it did.
    func finishTorn(_ message: UnsafeRawBufferPointer, slot: Int) -> Bool {
        guard var pending = instances[slot].pendingTorn else { return false }
        if let order = GoTraceParser.rebuild(fragment: pending.fragment, continuation: message) {
            setPendingTorn(nil, slot: slot)
            // Both pieces are parts of one recognised trace line.
            totals.recognisedTraceLines += 2
            totals.rebuiltTraceLines += 1
            countOrder(pending.direction, order, slot: slot, message: message)
            return true
        }
        pending.age += 1
        if pending.age > Self.tornPatience {
            setPendingTorn(nil, slot: slot)
            totals.tornLines += 1
        } else {
            setPendingTorn(pending, slot: slot)
        }
        return false
    }

    /// Counts the DNS failures in `message`; returns whether there was any.
    func scanFailures(_ message: UnsafeRawBufferPointer, slot: Int) -> Bool {
        var found = 0
        guard lookupCursor.mayOccur(in: message) else { return false }
        DNSFailureScanner.scan(message) { failure in
            found += 1
            instances[slot].summary.failures.add(failure)
            instances[slot].summary.failingNames.add(failure.name)
            if let libc = failure.libc { instances[slot].summary.noteLibc(libc) }
            switch failure.shape {
            case .serverNamed: noteEvidence(message, slot: slot, cgo: false)
            case .libcText: noteEvidence(message, slot: slot, cgo: true)
            case .ambiguousNoSuchHost, .serverlessOther: break
            }
        }
        if found > 0 {
            totals.failures += found
            instances[slot].summary.failureLines += 1
        }
        return found > 0
    }

    func noteEvidence(_ message: UnsafeRawBufferPointer, slot: Int, cgo: Bool) {
        if cgo {
            guard instances[slot].summary.cgoEvidence == nil else { return }
        } else {
            guard instances[slot].summary.goEvidence == nil else { return }
        }
        let sample = EvidenceSample(
            text: message.slice(0, min(message.count, 300)).string, file: source.displayName, line: lineNumber)
        if cgo { instances[slot].summary.cgoEvidence = sample } else { instances[slot].summary.goEvidence = sample }
    }
}
