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
    var timestamps = RFC3339Cache()

    public init(source: SourceContext) { self.source = source }

    public static func recognises(_ line: UnsafeRawBufferPointer, source: SourceContext) -> Bool {
        var timestamps = RFC3339Cache()
        return parse(line, timestamps: &timestamps) != nil
    }

    struct Fields {
        var timestamp: Int64
        var isStderr: Bool
        var isPartial: Bool
        var messageStart: Int
    }

    /// Splits a line into its fields, or `nil` if it is not a CRI line.
    static func parse(_ line: UnsafeRawBufferPointer, timestamps: inout RFC3339Cache) -> Fields? {
        guard line.count >= 29, ASCII.isDigit(line[0]),
              let space = line.firstIndex(ofByte: ASCII.space, from: 20), space <= 40,
              let t = timestamps.parse(line.slice(0, space)) else { return nil }
        let streamStart = space + 1
        let isStderr: Bool
        if line.hasPrefix("stderr ", at: streamStart) {
            isStderr = true
        } else if line.hasPrefix("stdout ", at: streamStart) {
            isStderr = false
        } else {
            return nil
        }
        let tag = streamStart + 7
        guard tag < line.count, line[tag] == 0x46 || line[tag] == 0x50 else { return nil }
        let after = tag + 1
        guard after == line.count || line[after] == ASCII.space else { return nil }
        return Fields(timestamp: t, isStderr: isStderr, isPartial: line[tag] == 0x50, messageStart: min(after + 1, line.count))
    }

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
        let joined = pieces.bytes
        pieces.clear()
        let first = split.start(stderr: f.isStderr)
        return .line(EnvelopedLine(instanceKey: Self.noKey, timestamp: first ?? f.timestamp, message: joined))
    }

    public mutating func finish(_ emit: (EnvelopedLine) -> Void) { split.finish(emit) }

    public func identity(forKey key: UnsafeRawBufferPointer) -> InstanceIdentity {
        if let path = source.path, let identity = KubeletLogPath.identity(forPath: path) { return identity }
        return InstanceIdentity(service: source.baseName, name: source.baseName)
    }

    static var noKey: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }
}
