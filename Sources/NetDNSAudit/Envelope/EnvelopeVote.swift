/// How the envelope of a file is decided: each of its first lines votes for the first
/// structured envelope that recognises it; the most votes win, and no vote means plain.
public enum EnvelopeVote {
    /// How many lines vote.
    public static let window = 32

    /// The index in ``EnvelopeRegistry/structured`` of the winner, or `nil` for plain.
    /// Empty lines (and over-long lines, passed as empty) do not vote.
    public static func winner(_ lines: [[UInt8]], source: SourceContext) -> Int? {
        var ballot = Ballot()
        for line in lines where !line.isEmpty { line.withUnsafeBytes { ballot.vote($0, source: source) } }
        return ballot.winner
    }

    /// ``winner(_:source:)`` of lines where they are (a read buffer's first lines).
    static func winner(_ lines: [UnsafeRawBufferPointer], source: SourceContext) -> Int? {
        var ballot = Ballot()
        for line in lines where line.count > 0 { ballot.vote(line, source: source) }
        return ballot.winner
    }

    /// The votes of a file's first lines.
    struct Ballot {
        var votes = [Int](repeating: 0, count: EnvelopeRegistry.structured.count)
        var voters = 0
        /// The timestamps of the lines so far: one date is parsed once (``TimestampCache``).
        var timestamps = TimestampCache()

        /// A non-empty line votes for the first structured envelope that recognises it.
        mutating func vote(_ line: UnsafeRawBufferPointer, source: SourceContext) {
            voters += 1
            for (i, type) in EnvelopeRegistry.decoders.enumerated() where type.recognises(line, source: source, timestamps: &timestamps) {
                votes[i] += 1
                break
            }
        }

        var winner: Int? {
            var votes = votes
            // An envelope easily mistaken for ordinary text must have most of the lines.
            for (i, type) in EnvelopeRegistry.structured.enumerated() where type.detectionNeedsMajority && votes[i] * 2 <= voters {
                votes[i] = 0
            }
            if let best = votes.indices.max(by: { votes[$0] < votes[$1] }), votes[best] > 0 { return best }
            return nil
        }
    }

    /// The envelope of a file, from its first lines.
    public static func kind(_ lines: [[UInt8]], source: SourceContext) -> EnvelopeKind {
        winner(lines, source: source).map { EnvelopeRegistry.structured[$0].kind } ?? .plain
    }
}
