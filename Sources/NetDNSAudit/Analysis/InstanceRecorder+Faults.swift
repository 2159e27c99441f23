/// The fault family (``FaultRecognizer``, ``GoroutineDumpTracker``) in the recording of a
/// stream: ``handleFault(_:slot:)`` is its one call in ``InstanceRecorder/handle(_:slot:reasons:)``,
/// for the messages the triage flags with ``MessageTriage/Reasons/fault``.
extension InstanceRecorder {
    /// Follows the instance's goroutine dump and counts the faults `message` shows. Returns true
    /// when the message is a line of a dump (counted as ordinary output; nothing else to find).
    func handleFault(_ message: UnsafeRawBufferPointer, slot: Int) -> Bool {
        if table.rows[slot].dump.active || GoroutineDumpTracker.startsDump(message) {
            let outcome = table.followDump(message, slot: slot)
            if outcome.contains(.dumpLine) {
                noteDump(outcome, message: message, slot: slot)
                return true
            }
        }
        var found = false
        FaultRecognizer.scan(message) { mention in
            noteFault(mention, message: message, slot: slot)
            found = true
        }
        if found { evidenceObserver?(table.rows[slot].summary.identity, message) }
        return false
    }

    func noteDump(_ outcome: GoroutineDumpTracker.Outcome, message: UnsafeRawBufferPointer, slot: Int) {
        if message.hasPrefix("runtime: program exceeds "), message.hasSuffix("-thread limit") {
            noteFault(FaultRecognizer.Mention(kind: .threadLimit), message: message, slot: slot)
        }
        guard outcome != .dumpLine else { return }
        let sample = faultSample(message)
        table.withSummary(slot) { summary in
            var faults = summary.faultTally
            if outcome.contains(.cgoStack) { faults.note(.cgoResolverStack, sample: sample) }
            if outcome.contains(.getaddrinfoGoroutine) { faults.getaddrinfoGoroutines += 1 }
            if outcome.contains(.goStack) { faults.goResolverStacks += 1 }
            if outcome.contains(.goResolverGoroutine) { faults.goResolverGoroutines += 1 }
            summary.faultTally = faults
        }
        if outcome.contains(.cgoStack) { noteEvidence(message, slot: slot, cgo: true) }
        if outcome.contains(.goStack) { noteEvidence(message, slot: slot, cgo: false) }
        if outcome.contains(.cgoStack) || outcome.contains(.goStack) {
            evidenceObserver?(table.rows[slot].summary.identity, message)
        }
    }

    func noteFault(_ mention: FaultRecognizer.Mention, message: UnsafeRawBufferPointer, slot: Int) {
        let sample = faultSample(message)
        table.withSummary(slot) { summary in
            var faults = summary.faultTally
            faults.note(mention.kind, sample: sample)
            if let version = mention.glibc { faults.noteGlibc(version) }
            summary.faultTally = faults
        }
    }

    /// The message (cut to 300 bytes) with the file and line it was read at.
    func faultSample(_ message: UnsafeRawBufferPointer) -> EvidenceSample {
        EvidenceSample(text: message.slice(0, min(message.count, 300)).string, file: fileName, line: lineNumber)
    }
}
