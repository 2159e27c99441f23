/// The unfinished messages of a stdout/stderr pair, for envelopes that split long lines into
/// pieces (CRI `P` pieces, Docker json-file pieces without a trailing newline). A joined
/// message carries the timestamp of its first piece.
///
/// A joined message keeps at most `limit` bytes from its start (`--max-line-bytes`: a joined
/// message is a line of the program) and, once longer, the last bytes of its end (see
/// ``MessageBuffer``): it is then emitted as over-long (``EnvelopedLine/overlongTail``), so
/// that no message of pieces is held whole, whatever its length.
struct SplitMessages {
    let stdout: MessageBuffer
    let stderr: MessageBuffer
    private var stdoutStart: Int64?
    private var stderrStart: Int64?

    init(limit: Int = 1 << 20) {
        stdout = MessageBuffer(limit: limit)
        stderr = MessageBuffer(limit: limit)
    }

    /// The joined message of `pieces` (the pieces are then cleared; the views stay valid until
    /// the next append): its bytes, and its tail when it grew beyond the limit. `dropTrailing`
    /// removes a last byte of that value from the end of the message (Docker's `\n`).
    static func take(_ pieces: MessageBuffer, timestamp: Int64?, dropTrailing: UInt8? = nil) -> EnvelopedLine {
        var head = pieces.bytes
        var tail = pieces.tail
        if let last = dropTrailing {
            if pieces.isOverlong {
                if tail.count > 0, tail[tail.count - 1] == last { tail = tail.slice(0, tail.count - 1) }
            } else if head.count > 0, head[head.count - 1] == last {
                head = head.slice(0, head.count - 1)
            }
        }
        var line = EnvelopedLine(instanceKey: UnsafeRawBufferPointer(start: nil, count: 0), timestamp: timestamp, message: head)
        if pieces.isOverlong { line.overlongTail = tail }
        pieces.clear()
        return line
    }

    /// The buffer of one stream.
    func pieces(stderr isStderr: Bool) -> MessageBuffer { isStderr ? stderr : stdout }

    /// Whether a message of the stream is unfinished.
    func hasPieces(stderr isStderr: Bool) -> Bool { !pieces(stderr: isStderr).isEmpty }

    /// Notes the timestamp of a piece; the first piece of a message sets the message's time.
    mutating func notePiece(stderr isStderr: Bool, timestamp: Int64?) {
        guard pieces(stderr: isStderr).isEmpty else { return }
        if isStderr { stderrStart = timestamp } else { stdoutStart = timestamp }
    }

    /// The timestamp of the first piece of the stream's message, if one was noted.
    func start(stderr isStderr: Bool) -> Int64? { isStderr ? stderrStart : stdoutStart }

    /// Emits the messages left unfinished at the end of the input and empties the buffers.
    func finish(_ emit: (EnvelopedLine) -> Void) {
        for (pieces, t) in [(stdout, stdoutStart), (stderr, stderrStart)] where !pieces.isEmpty {
            emit(Self.take(pieces, timestamp: t))
        }
    }
}
