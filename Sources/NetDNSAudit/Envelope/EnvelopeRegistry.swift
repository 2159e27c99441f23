/// The envelopes the analyzer knows, in detection order. ``PlainEnvelope`` is the fallback
/// and is not listed.
public enum EnvelopeRegistry {
    /// Structured envelopes, tried in this order: the most specific first.
    /// (Immutable; `nonisolated(unsafe)` only because metatypes of a non-Sendable protocol are
    /// not Sendable.)
    nonisolated(unsafe) public static let structured: [any LogEnvelope.Type] = [
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
