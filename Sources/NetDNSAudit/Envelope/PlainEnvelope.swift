/// No envelope: a program's own stdout and stderr. The file (or `stdin`) is the instance.
public struct PlainEnvelope: LogEnvelope {
    public static let kind = EnvelopeKind.plain
    let source: SourceContext

    public static func recognises(_ line: UnsafeRawBufferPointer, source: SourceContext) -> Bool { true }

    public init(source: SourceContext) { self.source = source }

    public mutating func decode(_ line: UnsafeRawBufferPointer) -> EnvelopeDecoding {
        .line(EnvelopedLine(instanceKey: UnsafeRawBufferPointer(start: nil, count: 0), timestamp: nil, message: line))
    }

    public func identity(forKey key: UnsafeRawBufferPointer) -> InstanceIdentity {
        InstanceIdentity(service: source.baseName, name: source.baseName)
    }
}
