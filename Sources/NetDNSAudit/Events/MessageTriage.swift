/// The first step of recording a message: whether it may need more than counting.
///
/// Most log lines are ordinary output; the triage answers, with a few byte tests and the needle
/// positions the line index found, which lines may be a trace line, the rest of a torn one, or
/// a line with a DNS failure, a build or image fault, or a goroutine dump. It never answers "ordinary" for a line that needs handling (a
/// false positive only costs the full look in ``InstanceRecorder``); nothing else in the
/// project restates these tests.
///
/// Adding a family of messages (say, runtime faults): add a ``Reasons`` bit, the family's cheap
/// test in ``reasons(_:tornPending:)`` (with a ``NeedleCursor`` of its own when it is a needle:
/// it searches each region once, and answers the lines before the next occurrence without
/// searching), reset the cursor in ``reset(region:)``, and handle the bit in
/// `InstanceRecorder.handle(_:slot:reasons:)`.
struct MessageTriage {
    /// Why a message needs handling.
    struct Reasons: OptionSet {
        let rawValue: UInt8
        /// It starts like a `go package net: ` trace line.
        static let tracePrefix = Reasons(rawValue: 1 << 0)
        /// Its instance has a torn trace start waiting for its rest.
        static let tornPending = Reasons(rawValue: 1 << 1)
        /// `lookup ` may occur in it (a DNS failure).
        static let failureNeedle = Reasons(rawValue: 1 << 2)
        /// It ends like the rest of a torn order line (`NAME) = ORDER`) of nobody pending.
        static let orphanContinuation = Reasons(rawValue: 1 << 3)
        /// It may show a build or image fault or start a goroutine dump (``FaultRecognizer``),
        /// or its instance is in the middle of a dump (``GoroutineDumpTracker``).
        static let fault = Reasons(rawValue: 1 << 4)
    }

    /// The needle of a DNS failure, and two of its bytes rare in logs (see `netdns_find_pair`).
    static let failureNeedleText: StaticString = "lookup "
    static let failureNeedleRareIndices = (3, 5)

    /// Where the next `lookup ` is in the current read region.
    var failureNeedle = NeedleCursor(failureNeedleText, rareIndices: failureNeedleRareIndices)
    /// Where the next fault text that may sit anywhere in a message is (`fork/exec `, `x509: `,
    /// `unknown time zone `).
    var faultText = NeedleCursor.faultTexts()

    /// "go packa", the first eight bytes of every trace line (``GoTraceParser/prefix``), as a
    /// little-endian word.
    static let tracePrefixWord: UInt64 = 0x616B_6361_7020_6F67

    /// A new region of the read buffer (an empty one when the buffer is about to be reused):
    /// the messages that follow are slices of it.
    mutating func reset(region: UnsafeRawBufferPointer) {
        failureNeedle.reset(region: region)
        faultText.reset(region: region)
    }

    /// What the line index found for `line`: where the next `lookup ` and the next fault text
    /// start at or after it (`nil`: unknown, so every message is searched).
    @inline(__always)
    mutating func note(line: UnsafeRawBufferPointer, marks: LineMarks?) {
        if let marks, let start = line.baseAddress {
            failureNeedle.assume(from: start, next: marks.needle)
            faultText.assume(from: start, next: marks.fault)
        } else {
            failureNeedle.reset(region: UnsafeRawBufferPointer(start: nil, count: 0))
            faultText.reset(region: UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }

    /// Why `message` may need handling; empty when it is certainly ordinary output.
    /// `witness` holds `lookup ` exactly when the message does (the message itself, or the
    /// escaped bytes of an unescaped one; see ``EnvelopedLine``).
    @inline(__always)
    mutating func reasons(_ message: UnsafeRawBufferPointer, needleIn witness: UnsafeRawBufferPointer, tornPending: Bool,
                          dumpActive: Bool = false) -> Reasons {
        var reasons: Reasons = []
        if message.count >= 8, message.baseAddress!.loadUnaligned(as: UInt64.self) == Self.tracePrefixWord {
            reasons.insert(.tracePrefix)
        }
        if tornPending { reasons.insert(.tornPending) }
        if failureNeedle.mayOccur(in: witness) { reasons.insert(.failureNeedle) }
        // The fault texts hold no byte that JSON escapes: the witness holds them as the message does.
        if dumpActive || FaultRecognizer.mayShowAnchoredFault(message) || faultText.mayOccur(in: witness) { reasons.insert(.fault) }
        if reasons.isEmpty, GoTraceParser.isOrphanContinuation(message) { reasons.insert(.orphanContinuation) }
        return reasons
    }

    /// Whether a message is certainly ordinary, asked of its still-escaped text (see
    /// `EnvelopedLine.escaped`: the text's first eight bytes start a trace line exactly when the
    /// message's do, its last non-blank byte is the message's, and `witness` holds `lookup `
    /// exactly when the message does). `false` when
    /// ``reasons(_:needleIn:tornPending:dumpActive:)`` of the message might not be empty.
    ///
    /// The fault tests hold on the escaped text too: their texts hold no byte JSON escapes, and
    /// a text starting with an escape (`\/` could spell a path's `/`) is not answered here.
    @inline(__always)
    mutating func isOrdinary(escaped text: UnsafeRawBufferPointer, needleIn witness: UnsafeRawBufferPointer, tornPending: Bool,
                             dumpActive: Bool) -> Bool {
        if tornPending || dumpActive { return false }
        if text.count >= 8, text.baseAddress!.loadUnaligned(as: UInt64.self) == Self.tracePrefixWord { return false }
        if failureNeedle.mayOccur(in: witness) { return false }
        if text.first == ASCII.backslash || FaultRecognizer.mayShowAnchoredFault(text) || faultText.mayOccur(in: witness) { return false }
        return !GoTraceParser.mayEndLikeOrder(text)
    }
}
