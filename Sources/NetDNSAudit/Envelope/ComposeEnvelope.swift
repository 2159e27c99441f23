import CNetDNSShim

/// `docker compose logs` (v2): `NAME-N  | MESSAGE`, the name padded with spaces to the longest
/// one; ANSI colour sequences around the prefix (with colour on) are skipped. The instance is
/// the container `NAME-N`, the service `NAME`. Compose v1's `NAME_N` is read the same way, and
/// a `--timestamps` time after the bar is taken as the line's timestamp.
public struct ComposeEnvelope: LogEnvelope {
    public static let kind = EnvelopeKind.compose

    /// Lines of one second share their date and time: parsed once.
    var timestamps = TimestampCache()

    public init(source: SourceContext) {}

    public static func recognises(_ line: UnsafeRawBufferPointer, source: SourceContext) -> Bool {
        parse(line) != nil
    }

    /// The container name's offsets and the message start.
    @inline(__always)
    static func parse(_ line: UnsafeRawBufferPointer) -> (nameStart: Int, nameEnd: Int, messageStart: Int)? {
        let n = line.count
        guard let base = line.baseAddress else { return nil }
        @inline(__always) func byte(_ at: Int) -> UInt8 { base.load(fromByteOffset: at, as: UInt8.self) }
        let nameStart = TerminalColour.skipSequences(line, from: 0)
        var i = nameStart
        // The container name: `[0-9A-Za-z_.-]`, 16 bytes at a time.
        if i < n { i += netdns_span_name(base + i, n - i) }
        let nameEnd = i
        guard nameEnd - nameStart >= 3, nameEnd - nameStart <= 255 else { return nil }
        // The name ends in `-N` (v2) or `_N` (v1).
        var d = nameEnd
        while d > nameStart, ASCII.isDigit(byte(d - 1)) { d -= 1 }
        guard d < nameEnd, d - 1 > nameStart, byte(d - 1) == 0x2D || byte(d - 1) == 0x5F else { return nil }
        guard i < n, byte(i) == ASCII.space else { return nil }
        while i < n, byte(i) == ASCII.space { i += 1 }
        i = TerminalColour.skipSequences(line, from: i)
        guard i < n, byte(i) == 0x7C else { return nil }
        i += 1
        i = TerminalColour.skipSequences(line, from: i)
        guard i == n || byte(i) == ASCII.space else { return nil }
        if i < n { i += 1 }
        i = TerminalColour.skipSequences(line, from: i)
        return (nameStart, nameEnd, i)
    }

    @inline(__always)
    public mutating func decode(_ line: UnsafeRawBufferPointer) -> EnvelopeDecoding {
        guard let p = Self.parse(line), let base = line.baseAddress else { return .mismatch }
        let n = line.count
        var messageStart = p.messageStart
        var timestamp: Int64? = nil
        // `--timestamps`: an RFC 3339 time of at most 40 bytes and a space.
        let t = base + messageStart
        if n - messageStart >= 21, ASCII.isDigit(t.load(as: UInt8.self)), t.load(fromByteOffset: 4, as: UInt8.self) == 0x2D,
           t.load(fromByteOffset: 10, as: UInt8.self) == 0x54,
           let (ns, length) = timestamps.readLeading(t, available: n - messageStart, maxLength: 40) {
            timestamp = ns
            messageStart += length
        }
        return .line(EnvelopedLine(instanceKey: line.slice(p.nameStart, p.nameEnd), timestamp: timestamp, message: line.slice(messageStart, n)))
    }

    public func identity(forKey key: UnsafeRawBufferPointer) -> InstanceIdentity {
        let name = key.string
        var service = Substring(name)
        while let last = service.last, last.isASCII, last.isNumber { service = service.dropLast() }
        if service.count < name.count, let last = service.last, last == "-" || last == "_" { service = service.dropLast() }
        return InstanceIdentity(service: service.isEmpty ? name : String(service), name: name)
    }
}
