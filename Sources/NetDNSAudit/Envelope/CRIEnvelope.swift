/// A CRI log file written by containerd or CRI-O: `TIMESTAMP STREAM P|F MESSAGE`.
///
/// `P` (partial) pieces are joined with the following pieces of the same stream up to its `F`
/// (full) piece; stdout and stderr are joined separately. The file is the instance: the pod,
/// container and namespace come from its path (see ``KubeletLogPath``).
public struct CRIEnvelope: LogEnvelope {
    public static let kind = EnvelopeKind.cri
    let source: SourceContext
    /// Pieces of an unfinished stdout and stderr message.
    var split = SplitMessages()
    /// Lines of one second share their date and time: parsed once.
    var timestamps = TimestampCache()

    public init(source: SourceContext) { self.source = source }

    public static func recognises(_ line: UnsafeRawBufferPointer, source: SourceContext) -> Bool {
        var timestamps = TimestampCache()
        return recognises(line, source: source, timestamps: &timestamps)
    }

    static func recognises(_ line: UnsafeRawBufferPointer, source: SourceContext, timestamps: inout TimestampCache) -> Bool {
        parse(line, timestamps: &timestamps) != nil
    }

    struct Fields {
        var timestamp: Int64
        var isStderr: Bool
        var isPartial: Bool
        var messageStart: Int
    }

    /// Splits a line into its fields, or `nil` if it is not a CRI line.
    @inline(__always)
    static func parse(_ line: UnsafeRawBufferPointer, timestamps: inout TimestampCache) -> Fields? {
        let n = line.count
        // A time of at most 40 bytes, its space, the stream, its space and the tag.
        guard n >= 29, let base = line.baseAddress, ASCII.isDigit(base.load(as: UInt8.self)),
              let (t, length) = timestamps.readLeading(base, available: n, maxLength: 40), n - length >= 8 else { return nil }
        let stream = base.loadUnaligned(fromByteOffset: length, as: UInt64.self)
        let isStderr: Bool
        switch stream & 0x00FF_FFFF_FFFF_FFFF {
        case 0x0020_7475_6F64_7473: isStderr = false   // "stdout "
        case 0x0020_7272_6564_7473: isStderr = true    // "stderr "
        default: return nil
        }
        let tag = UInt8(truncatingIfNeeded: stream >> 56)
        guard tag == 0x46 || tag == 0x50 else { return nil }
        let after = length + 8
        guard after == n || base.load(fromByteOffset: after, as: UInt8.self) == ASCII.space else { return nil }
        return Fields(timestamp: t, isStderr: isStderr, isPartial: tag == 0x50, messageStart: min(after + 1, n))
    }

    @inline(__always)
    public mutating func decode(_ line: UnsafeRawBufferPointer) -> EnvelopeDecoding {
        guard let f = Self.parse(line, timestamps: &timestamps) else { return .mismatch }
        let message = line.slice(f.messageStart, line.count)
        let pieces = split.pieces(stderr: f.isStderr)
        if f.isPartial {
            split.notePiece(stderr: f.isStderr, timestamp: f.timestamp)
            pieces.append(message)
            return .continued
        }
        guard !pieces.isEmpty else {
            return .line(EnvelopedLine(instanceKey: Self.noKey, timestamp: f.timestamp, message: message))
        }
        pieces.append(message)
        return .line(SplitMessages.take(pieces, timestamp: split.start(stderr: f.isStderr) ?? f.timestamp))
    }

    public mutating func finish(_ emit: (EnvelopedLine) -> Void) { split.finish(emit) }

    public func identity(forKey key: UnsafeRawBufferPointer) -> InstanceIdentity {
        if let path = source.path, let identity = KubeletLogPath.identity(forPath: path) { return identity }
        return InstanceIdentity(service: source.baseName, name: source.baseName)
    }

    static var noKey: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }
}
