/// How the analysis runs an envelope: every built-in ``LogEnvelope`` conforms (see
/// ``EnvelopeRegistry``), and the default implementations below are its decoding loops.
///
/// They are protocol requirements, so each envelope's witness is the loop specialised for that
/// envelope (its ``LogEnvelope/decode(_:)`` inlined): opening the envelope existential once per
/// batch gives every envelope, including the next one added, a loop of its own, and its
/// `decode` stays the only implementation of its meaning.
protocol LineDecoder: LogEnvelope {
    /// ``LogEnvelope/recognises(_:source:)`` with the timestamps of the vote's earlier lines at
    /// hand (``EnvelopeVote``: a file's first lines share their date); the same answer.
    static func recognises(_ line: UnsafeRawBufferPointer, source: SourceContext, timestamps: inout TimestampCache) -> Bool

    /// Decodes and records the lines of `batch` until its end; with `stopAtMismatch`, stops at
    /// the first line that does not have this envelope and returns it (counted, not recorded:
    /// standard input then looks for its envelope), else records such lines as unattributed.
    mutating func decodeLines(_ batch: inout LineBatch, into recorder: InstanceRecorder, envelopeIndex: Int,
                              stopAtMismatch: Bool) -> UnsafeRawBufferPointer?

    /// Decodes and records one line already counted; returns `false` (recording nothing) when
    /// the line does not have this envelope.
    mutating func decodeLine(_ line: UnsafeRawBufferPointer, into recorder: InstanceRecorder, envelopeIndex: Int) -> Bool

    /// Records the messages still held back at the end of the input.
    mutating func finishHeld(into recorder: InstanceRecorder, envelopeIndex: Int)

    /// ``LogEnvelope/decode(_:)`` for recording: an envelope may leave a message escaped
    /// (``EnvelopedLine/escaped``) until the triage says it may need more than counting.
    mutating func decodeForRecording(_ line: UnsafeRawBufferPointer) -> EnvelopeDecoding

    /// The message of a line ``decodeForRecording(_:)`` left escaped.
    func unescaped(_ text: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer

    /// Whether pieces of an unfinished message are held (CRI `P`, Docker partial records): a
    /// range cut then hands the envelope itself to the next range.
    var holdsPieces: Bool { get }

    /// Bounds the messages the envelope joins from pieces to `bytes` (`--max-line-bytes`);
    /// longer ones are emitted as over-long (see ``EnvelopedLine/overlongTail``).
    mutating func limitJoinedMessages(to bytes: Int)
}

extension LineDecoder {
    static func recognises(_ line: UnsafeRawBufferPointer, source: SourceContext, timestamps: inout TimestampCache) -> Bool {
        recognises(line, source: source)
    }

    @inline(__always)
    mutating func step(_ line: UnsafeRawBufferPointer, into recorder: InstanceRecorder, envelopeIndex: Int) -> Bool {
        switch decodeForRecording(line) {
        case .line(let decoded):
            let bucket = recorder.bucket(for: decoded.instanceKey, envelopeIndex: envelopeIndex) { identity(forKey: $0) }
            if let tail = decoded.overlongTail {
                recorder.recordOverlong(head: decoded.message, tail: tail, bucket: bucket, timestamp: decoded.timestamp)
            } else if decoded.escaped {
                if !recorder.recordIfOrdinary(escaped: decoded.message, bucket: bucket, timestamp: decoded.timestamp,
                                              needleWitness: decoded.needleWitness ?? decoded.message) {
                    recorder.record(unescaped(decoded.message), bucket: bucket, timestamp: decoded.timestamp, needleWitness: decoded.needleWitness)
                }
            } else {
                recorder.record(decoded.message, bucket: bucket, timestamp: decoded.timestamp, needleWitness: decoded.needleWitness)
            }
            return true
        case .continued:
            recorder.totals.continuationLines += 1
            return true
        case .mismatch:
            return false
        }
    }

    mutating func decodeLines(_ batch: inout LineBatch, into recorder: InstanceRecorder, envelopeIndex: Int,
                              stopAtMismatch: Bool) -> UnsafeRawBufferPointer? {
        while true {
            switch batch.next() {
            case .end:
                return nil
            case .overlong:
                recorder.countOverlong()
            case .line(let line, let marks):
                recorder.countLine()
                recorder.triage.note(line: line, marks: marks)
                if !step(line, into: recorder, envelopeIndex: envelopeIndex) {
                    if stopAtMismatch { return line }
                    recorder.unattributed(line)
                }
            }
        }
    }

    mutating func decodeLine(_ line: UnsafeRawBufferPointer, into recorder: InstanceRecorder, envelopeIndex: Int) -> Bool {
        step(line, into: recorder, envelopeIndex: envelopeIndex)
    }

    var holdsPieces: Bool { false }

    mutating func limitJoinedMessages(to bytes: Int) {}

    @inline(__always)
    mutating func decodeForRecording(_ line: UnsafeRawBufferPointer) -> EnvelopeDecoding { decode(line) }

    func unescaped(_ text: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer { text }

    mutating func finishHeld(into recorder: InstanceRecorder, envelopeIndex: Int) {
        // Identities come from a copy: `finish` mutates the envelope while it emits.
        let envelope = self
        finish { line in
            let bucket = recorder.bucket(for: line.instanceKey, envelopeIndex: envelopeIndex) { envelope.identity(forKey: $0) }
            recorder.recordHeldBack(line, bucket: bucket)
        }
    }
}

extension KubectlEnvelope: LineDecoder {}
extension CRIEnvelope: LineDecoder {
    var holdsPieces: Bool { split.hasPieces(stderr: false) || split.hasPieces(stderr: true) }
    mutating func limitJoinedMessages(to bytes: Int) { split = SplitMessages(limit: bytes) }
}
extension DockerJSONEnvelope: LineDecoder {
    var holdsPieces: Bool { split.hasPieces(stderr: false) || split.hasPieces(stderr: true) }
    mutating func limitJoinedMessages(to bytes: Int) { split = SplitMessages(limit: bytes) }

    @inline(__always)
    mutating func decodeForRecording(_ line: UnsafeRawBufferPointer) -> EnvelopeDecoding { decode(line, deferringEscapes: true) }
}
extension JournaldEnvelope: LineDecoder {}
extension ComposeEnvelope: LineDecoder {}
extension SternEnvelope: LineDecoder {}
extension PlainEnvelope: LineDecoder {}
