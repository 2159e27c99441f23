/// The unfinished messages of a stdout/stderr pair, for envelopes that split long lines into
/// pieces (CRI `P` pieces, Docker json-file pieces without a trailing newline). A joined
/// message carries the timestamp of its first piece.
struct SplitMessages {
    let stdout = MessageBuffer()
    let stderr = MessageBuffer()
    private var stdoutStart: Int64?
    private var stderrStart: Int64?

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
            emit(EnvelopedLine(instanceKey: UnsafeRawBufferPointer(start: nil, count: 0), timestamp: t, message: pieces.bytes))
            pieces.clear()
        }
    }
}
