/// Records what the messages of one stream say, instance by instance: counts every line, runs
/// the ``MessageTriage`` and hands the messages that need it to the trace parser, the torn-line
/// rebuilder and the failure scanner.
///
/// It holds only the recording state: totals, the ``InstanceTable`` and the triage's cursors.
/// Envelopes decode lines and call ``record(_:bucket:timestamp:)`` (see `LineDecoder`).
final class InstanceRecorder {
    let fileName: String
    let table: InstanceTable
    var triage = MessageTriage()
    var totals = InputTotals()
    /// 1-based number of the last physical line.
    var lineNumber = 0
    /// Called with each trace line and each line with a DNS failure as it is handled.
    var evidenceObserver: ((InstanceIdentity, UnsafeRawBufferPointer) -> Void)?

    /// Lines of an instance after which a torn trace start is given up.
    static let tornPatience = 64

    init(fileName: String) {
        self.fileName = fileName
        table = InstanceTable(fileName: fileName)
    }

    // MARK: Lines

    /// Counts one physical line.
    @inline(__always)
    func countLine() {
        lineNumber += 1
        totals.lines += 1
    }

    /// Counts a line longer than the line limit (not analysed).
    func countOverlong() {
        lineNumber += 1
        totals.lines += 1
        totals.overlongLines += 1
    }

    /// The bucket of an instance key, added on first sight with the identity `identity` gives.
    @inline(__always)
    func bucket(for key: UnsafeRawBufferPointer, envelopeIndex: Int, identity: (UnsafeRawBufferPointer) -> InstanceIdentity) -> Int {
        if let bucket = table.find(key, envelopeIndex: envelopeIndex) { return bucket }
        return table.add(key, envelopeIndex: envelopeIndex, identity: identity(key))
    }

    /// Records the message of a line (already counted in ``totals``) of the instance in `bucket`.
    @inline(__always)
    func record(_ message: UnsafeRawBufferPointer, bucket: Int, timestamp: Int64?, needleWitness: UnsafeRawBufferPointer? = nil) {
        table.buckets[bucket].counters.lines += 1
        if let t = timestamp { table.buckets[bucket].counters.noteTimestamp(t) }
        let counters = table.buckets[bucket].counters
        let reasons = triage.reasons(message, needleIn: needleWitness ?? message, tornPending: counters.tornPending,
                                     dumpActive: counters.dumpActive)
        if reasons.isEmpty {
            totals.ordinaryLines += 1
            return
        }
        handle(message, slot: table.slot(ofBucket: bucket), reasons: reasons)
    }

    /// Records a message still escaped (``EnvelopedLine/escaped``) as ordinary output when the
    /// triage, answered on its escaped text, finds nothing; else records nothing and returns
    /// `false`: the caller then records the unescaped message.
    @inline(__always)
    func recordIfOrdinary(escaped text: UnsafeRawBufferPointer, bucket: Int, timestamp: Int64?, needleWitness: UnsafeRawBufferPointer) -> Bool {
        let counters = table.buckets[bucket].counters
        guard triage.isOrdinary(escaped: text, needleIn: needleWitness, tornPending: counters.tornPending,
                                dumpActive: counters.dumpActive) else {
            return false
        }
        table.buckets[bucket].counters.lines += 1
        if let t = timestamp { table.buckets[bucket].counters.noteTimestamp(t) }
        totals.ordinaryLines += 1
        return true
    }

    /// A message an envelope held back to the end (an unfinished partial message). Its pieces
    /// were counted as continuation lines; the last one is now counted in the bucket of the
    /// message instead, so every physical line stays in exactly one bucket.
    func recordHeldBack(_ line: EnvelopedLine, bucket: Int) {
        if totals.continuationLines > 0 { totals.continuationLines -= 1 }
        if let tail = line.overlongTail {
            recordOverlong(head: line.message, tail: tail, bucket: bucket, timestamp: line.timestamp)
        } else {
            record(line.message, bucket: bucket, timestamp: line.timestamp)
        }
    }

    /// A message joined from pieces that grew beyond the line limit (its last piece's line,
    /// already counted in ``totals``): counted as over-long, like a physical line too long to
    /// read, but in its instance, and its kept bytes are still scanned. `head` is the message's
    /// first bytes, `tail` its last ones (see ``MessageBuffer``). DNS failures anywhere in either
    /// count (the message counts once as a failure line of its instance); a Go trace line at the
    /// end of the message (a `go package net: ` line the runtime wrote after output that ended
    /// in no newline, where the final piece is) counts in its instance. The line stays in
    /// ``InputTotals/overlongLines``: no other line bucket changes.
    func recordOverlong(head: UnsafeRawBufferPointer, tail: UnsafeRawBufferPointer, bucket: Int, timestamp: Int64?) {
        totals.overlongLines += 1
        table.buckets[bucket].counters.lines += 1
        if let t = timestamp { table.buckets[bucket].counters.noteTimestamp(t) }
        let slot = table.slot(ofBucket: bucket)
        // Both parts are outside the read region: the triage's cursor searches them whole.
        var found = 0
        for part in [head, tail] where part.count > 0 {
            let n = countFailures(part, slot: slot)
            if n > 0 { evidenceObserver?(table.rows[slot].summary.identity, part) }
            found += n
        }
        if found > 0 {
            totals.failures += found
            table.counters(slot).countFailureLine()
        }
        if let start = Self.lastTraceStart(in: tail.count > 0 ? tail : head) {
            handleTrace(start, slot: slot, countsLine: false)
        }
    }

    /// The text from the last `go package net: ` in `bytes` to its end, if there is one.
    static func lastTraceStart(in bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        var last: Int? = nil
        var from = 0
        while let at = bytes.firstRange(of: GoTraceParser.prefix, from: from) {
            last = at
            from = at + 1
        }
        return last.map { bytes.slice($0, bytes.count) }
    }

    /// A line outside any instance: counted and scanned, attributed to nobody.
    func unattributed(_ line: UnsafeRawBufferPointer) {
        totals.unattributedLines += 1
        var found = 0
        if triage.failureNeedle.mayOccur(in: line) { DNSFailureScanner.scanMentions(line) { _ in found += 1 } }
        if found > 0 {
            totals.failures += found
            totals.failureLines += 1
        } else {
            totals.ordinaryLines += 1
        }
    }

    // MARK: Messages that need handling

    /// Trace, torn piece, goroutine dump line, DNS failure (and fault), or (after all) ordinary output.
    func handle(_ message: UnsafeRawBufferPointer, slot: Int, reasons: MessageTriage.Reasons) {
        if GoTraceParser.isTrace(message) {
            handleTrace(message, slot: slot)
            evidenceObserver?(table.rows[slot].summary.identity, message)
            return
        }
        if reasons.contains(.tornPending), finishTorn(message, slot: slot) { return }
        if GoTraceParser.isOrphanContinuation(message) {
            totals.tornLines += 1
            return
        }
        if reasons.contains(.fault), handleFault(message, slot: slot) {
            totals.ordinaryLines += 1
            return
        }
        if scanFailures(message, slot: slot) {
            totals.failureLines += 1
            evidenceObserver?(table.rows[slot].summary.identity, message)
        } else {
            totals.ordinaryLines += 1
        }
    }

    /// Handles a trace line; with `countsLine` false (a trace at the end of an over-long
    /// message, whose line is counted as over-long) only its events count, not its line, and a
    /// torn start or an unrecognised trace is not counted at all.
    func handleTrace(_ message: UnsafeRawBufferPointer, slot: Int, countsLine: Bool = true) {
        let event = GoTraceParser.parse(message)
        let lines = countsLine ? 1 : 0
        switch event {
        case .decision(let decision):
            totals.recognisedTraceLines += lines
            table.withSummary(slot) {
                $0.traceLines += 1
                $0.decisions.add(decision)
                $0.debugLevel = max($0.debugLevel, 1)
            }
            switch decision.processWidePath {
            case .cgo?: noteEvidence(message, slot: slot, cgo: true)
            case .go?: noteEvidence(message, slot: slot, cgo: false)
            case nil: break
            }
        case .invalidModeNotice:
            totals.recognisedTraceLines += lines
            table.withSummary(slot) {
                $0.traceLines += 1
                $0.invalidModeNotices += 1
                $0.debugLevel = max($0.debugLevel, 1)
            }
        case .confVal:
            totals.recognisedTraceLines += lines
            table.withSummary(slot) {
                $0.traceLines += 1
                $0.confValLines += 1
                $0.debugLevel = 2
            }
        case .order(let direction, let order):
            totals.recognisedTraceLines += lines
            countOrder(direction, order, slot: slot, message: message)
        case .tornOrderStart(let direction, let fragment):
            guard countsLine else { return }
            if table.rows[slot].pendingTorn != nil { totals.tornLines += 1 }
            table.setPendingTorn(.init(direction: direction, fragment: fragment, age: 0), slot: slot)
            // The foreign text inside the torn line is a line of its own and may report failures.
            _ = scanFailures(message, slot: slot)
        case .unrecognised:
            guard countsLine else { return }
            totals.unrecognisedTraceLines += 1
            totals.noteUnrecognisedSample(message.slice(0, min(message.count, 300)).string)
        }
    }

    /// Counts an order line: a named value in the slot's ``InstanceCounters`` (and a forward
    /// `cgo` line's name class), another in its summary's tallies.
    func countOrder(_ direction: LookupDirection, _ order: LookupOrder, slot: Int, message: UnsafeRawBufferPointer) {
        let counters = table.counters(slot)
        if let index = order.kind?.namedIndex {
            counters.addOrder(direction, namedIndex: index)
        } else {
            table.withSummary(slot) {
                $0.traceLines += 1
                $0.debugLevel = 2
                switch direction {
                case .forward: $0.forwardOrders.add(order)
                case .reverse: $0.reverseOrders.add(order)
                }
            }
        }
        if direction == .forward, order.kind == .cgo {
            // A rebuilt torn line's name is not at hand: `other`, which claims nothing.
            let name = GoTraceParser.orderName(message)
            counters.addCgoName(name.map { LookupNameClass.classify($0, hostName: table.rows[slot].summary.identity.name) } ?? .other)
        }
        noteEvidence(message, slot: slot, cgo: order.path == .cgo)
    }

    /// Tries to finish the instance's torn trace line with `message`; returns true when it did.
    func finishTorn(_ message: UnsafeRawBufferPointer, slot: Int) -> Bool {
        guard var pending = table.rows[slot].pendingTorn else { return false }
        if let order = GoTraceParser.rebuild(fragment: pending.fragment, continuation: message) {
            table.setPendingTorn(nil, slot: slot)
            // Both pieces are parts of one recognised trace line.
            totals.recognisedTraceLines += 2
            totals.rebuiltTraceLines += 1
            countOrder(pending.direction, order, slot: slot, message: message)
            return true
        }
        pending.age += 1
        if pending.age > Self.tornPatience {
            table.setPendingTorn(nil, slot: slot)
            totals.tornLines += 1
        } else {
            table.setPendingTorn(pending, slot: slot)
        }
        return false
    }

    /// Counts the DNS failures in `message`; returns whether there was any.
    func scanFailures(_ message: UnsafeRawBufferPointer, slot: Int) -> Bool {
        let found = countFailures(message, slot: slot)
        if found > 0 {
            totals.failures += found
            table.counters(slot).countFailureLine()
        }
        return found > 0
    }

    /// Adds the DNS failures in `message` to the instance in `slot` (not to the totals); returns how many.
    func countFailures(_ message: UnsafeRawBufferPointer, slot: Int) -> Int {
        var found = 0
        guard triage.failureNeedle.mayOccur(in: message) else { return 0 }
        let counters = table.counters(slot)
        DNSFailureScanner.scanMentions(message, from: triage.failureNeedle.searchStart(in: message)) { failure in
            found += 1
            if let libc = failure.libc, !counters.has(.libc(libc)) {
                counters.note(.libc(libc))
                table.withSummary(slot) { $0.noteLibc(libc) }
            }
            table.addFailure(failure.name, failure.shape, failure.failureClass, counters: counters, slot: slot)
            switch failure.shape {
            case .serverNamed: noteEvidence(message, slot: slot, cgo: false, counters: counters)
            case .libcText: noteEvidence(message, slot: slot, cgo: true, counters: counters)
            case .ambiguousNoSuchHost, .serverlessOther: break
            }
        }
        return found
    }

    /// Keeps `message` as the slot's first evidence of the cgo or the pure-Go path, when it has
    /// none yet (known from its ``InstanceCounters``, not its summary).
    @inline(__always)
    func noteEvidence(_ message: UnsafeRawBufferPointer, slot: Int, cgo: Bool, counters: InstanceCounters? = nil) {
        let counters = counters ?? table.counters(slot)
        let fact: InstanceCounters.Noted = cgo ? .cgoEvidence : .goEvidence
        guard !counters.has(fact) else { return }
        counters.note(fact)
        let sample = EvidenceSample(text: message.slice(0, min(message.count, 300)).string, file: fileName, line: lineNumber)
        table.withSummary(slot) {
            if cgo { $0.cgoEvidence = sample } else { $0.goEvidence = sample }
        }
    }

    // MARK: End

    /// The summary of every instance, in the order first seen, with ``totals``.
    func summary() -> AuditSummary {
        var summary = AuditSummary()
        summary.totals = totals
        summary.totals.files = 1
        for slot in table.rows.indices { summary.add(table.summary(ofSlot: slot)) }
        return summary
    }
}
