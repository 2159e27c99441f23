import CNetDNSShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `kubectl logs --prefix [--timestamps]`: `[pod/POD/CONTAINER] [TIMESTAMP ]MESSAGE`.
public struct KubectlEnvelope: LogEnvelope {
    public static let kind = EnvelopeKind.kubectl

    public static func recognises(_ line: UnsafeRawBufferPointer, source: SourceContext) -> Bool {
        prefixClose(line) != nil
    }

    /// Lines of one second share their date and time: parsed once.
    var timestamps = TimestampCache()

    public init(source: SourceContext) {}

    /// The offset of the `]` that closes a `[pod/POD/CONTAINER]` prefix: within the first 600
    /// bytes, with a slash (the first after `[pod/`) between a non-empty pod and container.
    @inline(__always)
    static func prefixClose(_ line: UnsafeRawBufferPointer) -> Int? {
        let n = line.count
        guard n > 6, let base = line.baseAddress,
              base.loadUnaligned(as: UInt32.self) == 0x646F_705B,           // "[pod"
              base.load(fromByteOffset: 4, as: UInt8.self) == 0x2F else { return nil }   // "/"
        // The first `]` and the first `/` before it, in one vector pass.
        let window = min(n, 600) - 5
        var slashOffset = 0
        let closeOffset = netdns_close_and_slash(base + 5, window, &slashOffset)
        guard closeOffset < window, slashOffset < closeOffset else { return nil }
        let close = 5 + closeOffset
        let slash = 5 + slashOffset
        guard slash > 5, slash + 1 < close else { return nil }
        return close
    }

    @inline(__always)
    public mutating func decode(_ line: UnsafeRawBufferPointer) -> EnvelopeDecoding {
        guard let close = Self.prefixClose(line), let base = line.baseAddress else { return .mismatch }
        let n = line.count
        let key = UnsafeRawBufferPointer(start: base + 5, count: close - 5)
        var messageStart = close + 1
        if messageStart < n, base.load(fromByteOffset: messageStart, as: UInt8.self) == ASCII.space { messageStart += 1 }
        var timestamp: Int64? = nil
        // `--timestamps`: an RFC 3339 time and a space before the message.
        let t = base + messageStart
        if n - messageStart >= 20, ASCII.isDigit(t.load(as: UInt8.self)), t.load(fromByteOffset: 4, as: UInt8.self) == 0x2D,
           t.load(fromByteOffset: 10, as: UInt8.self) == 0x54,
           let (ns, length) = timestamps.readLeading(t, available: n - messageStart, maxLength: .max) {
            timestamp = ns
            messageStart += length
        }
        return .line(EnvelopedLine(instanceKey: key, timestamp: timestamp,
                                   message: UnsafeRawBufferPointer(start: base + messageStart, count: n - messageStart)))
    }

    public func identity(forKey key: UnsafeRawBufferPointer) -> InstanceIdentity {
        let text = key.string
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        let pod = parts.first ?? text
        let container = parts.count > 1 ? parts[1] : nil
        return InstanceIdentity(service: WorkloadName.service(forPod: pod), name: pod, container: container)
    }
}
