/// The envelopes the analyzer knows, in detection order. ``PlainEnvelope`` is the fallback
/// and is not listed.
public enum EnvelopeRegistry {
    /// Structured envelopes, tried in this order: the most specific first.
    /// (Immutable; `nonisolated(unsafe)` only because metatypes of a non-Sendable protocol are
    /// not Sendable.)
    nonisolated(unsafe) public static let structured: [any LogEnvelope.Type] = decoders.map { $0 }

    /// ``structured`` as the analysis runs them (see ``LineDecoder``).
    nonisolated(unsafe) static let decoders: [any LineDecoder.Type] = [
        DockerJSONEnvelope.self,
        CRIEnvelope.self,
        JournaldEnvelope.self,
        KubectlEnvelope.self,
        ComposeEnvelope.self,
        SternEnvelope.self,
    ]

    /// The type for a name given with `--envelope`.
    public static func type(for kind: EnvelopeKind) -> any LogEnvelope.Type {
        if kind == .plain { return PlainEnvelope.self }
        return structured.first { $0.kind == kind }!
    }

    /// The first structured envelope that recognises the line, for line-by-line detection.
    /// Envelopes that need a majority of lines (``LogEnvelope/detectionNeedsMajority``) are not
    /// detected from a single line.
    public static func detect(_ line: UnsafeRawBufferPointer, source: SourceContext) -> (any LogEnvelope.Type)? {
        for type in structured where !type.detectionNeedsMajority && type.recognises(line, source: source) { return type }
        return nil
    }
}

extension EnvelopeRegistry {
    /// The decoder of `kind` and its index in ``decoders`` (-1 for plain).
    static func decoder(for kind: EnvelopeKind) -> (type: any LineDecoder.Type, index: Int) {
        if let i = decoders.firstIndex(where: { $0.kind == kind }) { return (decoders[i], i) }
        return (PlainEnvelope.self, -1)
    }

    /// The index in ``decoders`` of the first envelope that recognises the line on its own
    /// (as ``detect(_:source:)``).
    static func detectIndex(_ line: UnsafeRawBufferPointer, source: SourceContext) -> Int? {
        decoders.firstIndex { !$0.detectionNeedsMajority && $0.recognises(line, source: source) }
    }
}
