/// `kubectl logs --prefix [--timestamps]`: `[pod/POD/CONTAINER] [TIMESTAMP ]MESSAGE`.
public struct KubectlEnvelope: LogEnvelope {
    public static let kind = EnvelopeKind.kubectl

    public static func recognises(_ line: UnsafeRawBufferPointer, source: SourceContext) -> Bool {
        prefixEnd(line) != nil
    }

    /// Lines of one second share their date and time: parsed once.
    var timestamps = RFC3339Cache()

    public init(source: SourceContext) {}

    /// The offset just past `] ` of a `[pod/POD/CONTAINER] ` prefix.
    static func prefixEnd(_ line: UnsafeRawBufferPointer) -> Int? {
        guard line.hasPrefix("[pod/"), let close = line.firstIndex(ofByte: 0x5D, from: 5), close < 600 else { return nil }
        // Exactly one more slash between pod and container.
        guard let slash = line.firstIndex(ofByte: 0x2F, from: 5), slash < close, slash > 5, slash + 1 < close else { return nil }
        return close + 1
    }

    public mutating func decode(_ line: UnsafeRawBufferPointer) -> EnvelopeDecoding {
        guard let end = Self.prefixEnd(line) else { return .mismatch }
        let key = line.slice(5, end - 1)
        var messageStart = end
        if messageStart < line.count, line[messageStart] == ASCII.space { messageStart += 1 }
        var timestamp: Int64? = nil
        // `--timestamps`: an RFC 3339 time and a space before the message.
        if line.count - messageStart >= 20, ASCII.isDigit(line[messageStart]), line[messageStart + 4] == 0x2D,
           line[messageStart + 10] == 0x54,
           let space = line.firstIndex(ofByte: ASCII.space, from: messageStart),
           let t = timestamps.parse(line.slice(messageStart, space)) {
            timestamp = t
            messageStart = space + 1
        }
        return .line(EnvelopedLine(instanceKey: key, timestamp: timestamp, message: line.slice(messageStart, line.count)))
    }

    public func identity(forKey key: UnsafeRawBufferPointer) -> InstanceIdentity {
        let text = key.string
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        let pod = parts.first ?? text
        let container = parts.count > 1 ? parts[1] : nil
        return InstanceIdentity(service: WorkloadName.service(forPod: pod), name: pod, container: container)
    }
}
