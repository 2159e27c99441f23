/// Which envelope a stream's lines are decoded with, and the only user of ``EnvelopeVote``:
///
/// - a file (``StreamAnalyzer/EnvelopeMode/perFile``): its first ``EnvelopeVote/window`` lines
///   (over-long ones too, as empty lines) are held and vote; the winner decodes them and the rest;
/// - standard input (``StreamAnalyzer/EnvelopeMode/perLine``): a line that the current envelope
///   does not decode looks for the envelope that recognises it (files may be concatenated);
/// - ``StreamAnalyzer/EnvelopeMode/forced``: `--envelope`.
struct EnvelopeSelector {
    let source: SourceContext
    let mode: StreamAnalyzer.EnvelopeMode
    /// The current envelope (plain until one is decided or detected).
    var current: any LineDecoder
    /// Its index in ``EnvelopeRegistry/decoders``; -1 for plain.
    private(set) var index = -1
    private(set) var decided = false
    /// Lines held until a file's envelope is decided, and which of them were over-long.
    private var held: [[UInt8]] = []
    private var heldOverlong: [Int] = []
    /// Envelopes already seen in per-line mode, by index.
    var others: [Int: any LineDecoder] = [:]
    /// Whether a structured envelope was seen (per-line mode: a line of none is then unattributed).
    private(set) var structuredSeen = false
    var plain: PlainEnvelope
    /// The most bytes a message joined from pieces keeps (`--max-line-bytes`).
    let maxMessageBytes: Int

    init(source: SourceContext, mode: StreamAnalyzer.EnvelopeMode, maxMessageBytes: Int = 1 << 20) {
        self.source = source
        self.mode = mode
        self.maxMessageBytes = maxMessageBytes
        plain = PlainEnvelope(source: source)
        current = plain
        if case .forced(let kind) = mode {
            let (type, index) = EnvelopeRegistry.decoder(for: kind)
            current = Self.make(type, source: source, maxMessageBytes: maxMessageBytes)
            self.index = index
            decided = true
            structuredSeen = index >= 0
        }
    }

    /// A new decoder of `type` for the stream, its joined messages bounded by `maxMessageBytes`.
    static func make(_ type: any LineDecoder.Type, source: SourceContext, maxMessageBytes: Int) -> any LineDecoder {
        var decoder = type.init(source: source)
        decoder.limitJoinedMessages(to: maxMessageBytes)
        return decoder
    }

    /// Whether lines are being held for the vote.
    var isHolding: Bool {
        if decided { return false }
        if case .perFile = mode { return true }
        return false
    }

    var isPerLine: Bool {
        if case .perLine = mode { return true }
        return false
    }

    /// Whether any line is held.
    var holdsLines: Bool { !held.isEmpty }

    /// Holds a line for the vote; returns whether the window is full (then call ``decide()``).
    mutating func hold(_ line: UnsafeRawBufferPointer) -> Bool {
        held.append(Array(line))
        return held.count >= EnvelopeVote.window
    }

    /// Holds an over-long line (it does not vote); returns whether the window is full.
    mutating func holdOverlong() -> Bool {
        heldOverlong.append(held.count)
        held.append([])
        return held.count >= EnvelopeVote.window
    }

    /// Decides a file's envelope from the held lines; returns them (with the offsets of the
    /// over-long ones) to be decoded.
    mutating func decide() -> (lines: [[UInt8]], overlong: Set<Int>) {
        choose(EnvelopeVote.winner(held, source: source))
        defer { held = []; heldOverlong = [] }
        return (held, Set(heldOverlong))
    }

    /// Decides a file's envelope from its first lines where they are, none held (``hold(_:)``
    /// not called): `lines` are the vote's window, over-long lines passed as empty ones.
    mutating func decide(voting lines: [UnsafeRawBufferPointer]) {
        choose(EnvelopeVote.winner(lines, source: source))
    }

    private mutating func choose(_ winner: Int?) {
        decided = true
        if let best = winner {
            index = best
            current = Self.make(EnvelopeRegistry.decoders[best], source: source, maxMessageBytes: maxMessageBytes)
            structuredSeen = true
        } else {
            index = -1
            current = plain
        }
    }

    /// The envelope a file's held lines vote for (``decide()`` without a stream).
    mutating func decidedKind() -> EnvelopeKind {
        _ = decide()
        return index >= 0 ? EnvelopeRegistry.decoders[index].kind : .plain
    }

    /// Per-line mode: makes the envelope at `newIndex` current, keeping the state of the last.
    mutating func switchTo(_ newIndex: Int) {
        if index >= 0 { others[index] = current }
        current = others.removeValue(forKey: newIndex)
            ?? Self.make(EnvelopeRegistry.decoders[newIndex], source: source, maxMessageBytes: maxMessageBytes)
        index = newIndex
        structuredSeen = true
    }

    /// The instance a key of the envelope at `envelopeIndex` names.
    func identity(forKey key: UnsafeRawBufferPointer, envelopeIndex: Int) -> InstanceIdentity {
        if envelopeIndex < 0 { return plain.identity(forKey: key) }
        if envelopeIndex == index { return current.identity(forKey: key) }
        if let other = others[envelopeIndex] { return other.identity(forKey: key) }
        return EnvelopeRegistry.decoders[envelopeIndex].init(source: source).identity(forKey: key)
    }
}
