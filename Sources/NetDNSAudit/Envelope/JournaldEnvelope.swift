import CNetDNSShim

/// journald and syslog short formats:
/// - `journalctl -o short` / syslog: `Nov 20 10:00:00 HOST IDENT[PID]: MESSAGE`;
/// - `journalctl -o short-iso`: `2026-11-20T10:00:00+0000 HOST IDENT[PID]: MESSAGE` (the offset
///   with or without a colon; `short-iso-precise` and `short-precise` fractions are accepted).
///
/// The service is IDENT, the instance `IDENT@HOST`. The short format has no year, so its lines
/// get no timestamp (guessing the year would misdate logs that span New Year); use
/// `-o short-iso` for first/last-seen times. A line without `[PID]` (`kernel: ...`) is decoded but
/// does not count towards detecting the ISO form, which plain logs with ISO times resemble.
public struct JournaldEnvelope: LogEnvelope {
    public static let kind = EnvelopeKind.journald
    /// Lines of one second share their date and time: parsed once.
    var timestamps = TimestampCache()

    public init(source: SourceContext) {}

    public static func recognises(_ line: UnsafeRawBufferPointer, source: SourceContext) -> Bool {
        guard let p = parse(line) else { return false }
        return !p.isISO || p.hasPID
    }

    struct Prefix {
        var isISO: Bool
        var timestamp: Range<Int>
        /// `HOST IDENT`.
        var key: Range<Int>
        var hostEnd: Int
        var hasPID: Bool
        var messageStart: Int
    }

    static let months: [StaticString] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    @inline(__always)
    static func parse(_ line: UnsafeRawBufferPointer) -> Prefix? {
        let n = line.count
        guard n >= 20, let base = line.baseAddress else { return nil }
        @inline(__always) func byte(_ at: Int) -> UInt8 { base.load(fromByteOffset: at, as: UInt8.self) }
        var timestampEnd: Int
        let isISO: Bool
        if ASCII.isDigit(byte(0)) {
            guard byte(4) == 0x2D, byte(10) == 0x54 else { return nil }
            timestampEnd = 19
            isISO = true
        } else {
            guard months.contains(where: { line.hasPrefix($0) }), byte(3) == ASCII.space,
                  byte(4) == ASCII.space || ASCII.isDigit(byte(4)), ASCII.isDigit(byte(5)), byte(6) == ASCII.space,
                  ASCII.isDigit(byte(7)), ASCII.isDigit(byte(8)), byte(9) == ASCII.colon, ASCII.isDigit(byte(10)),
                  ASCII.isDigit(byte(11)), byte(12) == ASCII.colon, ASCII.isDigit(byte(13)), ASCII.isDigit(byte(14)) else { return nil }
            timestampEnd = 15
            if timestampEnd < n, byte(timestampEnd) == 0x2E {
                timestampEnd += 1
                while timestampEnd < n, ASCII.isDigit(byte(timestampEnd)) { timestampEnd += 1 }
            }
            guard timestampEnd < n, byte(timestampEnd) == ASCII.space else { return nil }
            isISO = false
        }
        // The spaces after the time and HOST and the end of IDENT (`[`, `:` or a space), in one
        // vector pass over at most 600 bytes (the time ends by byte 40, HOST and IDENT have at
        // most 255 bytes each).
        let window = min(n, timestampEnd + 600)
        var ends = (0, 0, 0)
        withUnsafeMutableBytes(of: &ends) { raw in
            if let out = raw.baseAddress { netdns_journald_ends(base, window, timestampEnd, out.assumingMemoryBound(to: Int.self)) }
        }
        // An ISO time ends at its first space from byte 19 on, at byte 40 at the latest.
        if isISO {
            guard ends.0 <= 40 else { return nil }
            timestampEnd = ends.0
        }
        let hostStart = timestampEnd + 1
        let hostEnd = ends.1
        guard hostEnd < window, hostEnd > hostStart, hostEnd - hostStart <= 255 else { return nil }
        let identStart = hostEnd + 1
        let identEnd = ends.2
        guard identEnd < window, identEnd > identStart, identEnd - identStart <= 255 else { return nil }
        var i = identEnd
        var hasPID = false
        if byte(i) == 0x5B {
            i += 1
            let digits = i
            while i < n, ASCII.isDigit(byte(i)) { i += 1 }
            guard i > digits, i < n, byte(i) == 0x5D else { return nil }
            i += 1
            hasPID = true
        }
        guard i < n, byte(i) == ASCII.colon else { return nil }
        i += 1
        guard i == n || byte(i) == ASCII.space else { return nil }
        if i < n { i += 1 }
        return Prefix(isISO: isISO, timestamp: 0..<timestampEnd, key: hostStart..<identEnd, hostEnd: hostEnd, hasPID: hasPID, messageStart: i)
    }

    @inline(__always)
    public mutating func decode(_ line: UnsafeRawBufferPointer) -> EnvelopeDecoding {
        guard let p = Self.parse(line) else { return .mismatch }
        let timestamp = p.isISO ? timestamps.parseAllowingColonlessOffset(line.slice(p.timestamp.lowerBound, p.timestamp.upperBound)) : nil
        return .line(EnvelopedLine(instanceKey: line.slice(p.key.lowerBound, p.key.upperBound), timestamp: timestamp,
                                   message: line.slice(p.messageStart, line.count)))
    }

    public func identity(forKey key: UnsafeRawBufferPointer) -> InstanceIdentity {
        let text = key.string
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return InstanceIdentity(service: text, name: text) }
        return InstanceIdentity(service: parts[1], name: "\(parts[1])@\(parts[0])")
    }
}
