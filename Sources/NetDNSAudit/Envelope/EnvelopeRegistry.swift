/// The envelopes the analyzer knows, in detection order. ``PlainEnvelope`` is the fallback
/// and is not listed.
public enum EnvelopeRegistry {
    /// Structured envelopes, tried in this order.
    public static let structured: [any LogEnvelope.Type] = [
        KubectlEnvelope.self,
    ]

    /// The type for a name given with `--envelope`.
    public static func type(for kind: EnvelopeKind) -> any LogEnvelope.Type {
        if kind == .plain { return PlainEnvelope.self }
        return structured.first { $0.kind == kind }!
    }

    /// The first structured envelope that recognises the line.
    public static func detect(_ line: UnsafeRawBufferPointer, source: SourceContext) -> (any LogEnvelope.Type)? {
        for type in structured where type.recognises(line, source: source) { return type }
        return nil
    }
}
