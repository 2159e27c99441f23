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

    static func parse(_ line: UnsafeRawBufferPointer) -> Prefix? {
        guard line.count >= 20 else { return nil }
        var timestampEnd: Int
        let isISO: Bool
        if ASCII.isDigit(line[0]) {
            guard line[4] == 0x2D, line[10] == 0x54, let space = line.firstIndex(ofByte: ASCII.space, from: 19), space <= 40 else { return nil }
            timestampEnd = space
            isISO = true
        } else {
            guard months.contains(where: { line.hasPrefix($0) }), line[3] == ASCII.space,
                  line[4] == ASCII.space || ASCII.isDigit(line[4]), ASCII.isDigit(line[5]), line[6] == ASCII.space,
                  ASCII.isDigit(line[7]), ASCII.isDigit(line[8]), line[9] == ASCII.colon, ASCII.isDigit(line[10]),
                  ASCII.isDigit(line[11]), line[12] == ASCII.colon, ASCII.isDigit(line[13]), ASCII.isDigit(line[14]) else { return nil }
            timestampEnd = 15
            if timestampEnd < line.count, line[timestampEnd] == 0x2E {
                timestampEnd += 1
                while timestampEnd < line.count, ASCII.isDigit(line[timestampEnd]) { timestampEnd += 1 }
            }
            isISO = false
        }
        guard timestampEnd < line.count, line[timestampEnd] == ASCII.space else { return nil }
        let hostStart = timestampEnd + 1
        guard let hostEnd = line.firstIndex(ofByte: ASCII.space, from: hostStart), hostEnd > hostStart, hostEnd - hostStart <= 255 else { return nil }
        let identStart = hostEnd + 1
        // IDENT ends at `[`, `:` or a space (one vector pass).
        var i = identStart
        if i < line.count { i += netdns_find_byte3(line.baseAddress! + i, line.count - i, 0x5B, ASCII.colon, ASCII.space) }
        let identEnd = i
        guard identEnd > identStart, identEnd - identStart <= 255, i < line.count else { return nil }
        var hasPID = false
        if line[i] == 0x5B {
            i += 1
            let digits = i
            while i < line.count, ASCII.isDigit(line[i]) { i += 1 }
            guard i > digits, i < line.count, line[i] == 0x5D else { return nil }
            i += 1
            hasPID = true
        }
        guard i < line.count, line[i] == ASCII.colon else { return nil }
        i += 1
        guard i == line.count || line[i] == ASCII.space else { return nil }
        if i < line.count { i += 1 }
        return Prefix(isISO: isISO, timestamp: 0..<timestampEnd, key: hostStart..<identEnd, hostEnd: hostEnd, hasPID: hasPID, messageStart: i)
    }

    public mutating func decode(_ line: UnsafeRawBufferPointer) -> EnvelopeDecoding {
        guard let p = Self.parse(line) else { return .mismatch }
        let timestamp = p.isISO ? isoTimestamp(line.slice(p.timestamp.lowerBound, p.timestamp.upperBound)) : nil
        return .line(EnvelopedLine(instanceKey: line.slice(p.key.lowerBound, p.key.upperBound), timestamp: timestamp,
                                   message: line.slice(p.messageStart, line.count)))
    }

    /// Parses `…+0000` (journalctl) as well as `…+00:00`.
    mutating func isoTimestamp(_ text: UnsafeRawBufferPointer) -> Int64? {
        let n = text.count
        if n >= 5, n <= 60, text[n - 5] == 0x2B || text[n - 5] == 0x2D, ASCII.isDigit(text[n - 4]), ASCII.isDigit(text[n - 3]),
           ASCII.isDigit(text[n - 2]), ASCII.isDigit(text[n - 1]) {
            // The time with a colon put into its offset, on the stack.
            return withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { scratch in
                let out = scratch.baseAddress!
                out.copyMemory(from: text.baseAddress!, byteCount: n - 2)
                out.storeBytes(of: ASCII.colon, toByteOffset: n - 2, as: UInt8.self)
                (out + n - 1).copyMemory(from: text.baseAddress! + n - 2, byteCount: 2)
                return timestamps.parse(UnsafeRawBufferPointer(start: out, count: n + 1))
            }
        }
        return timestamps.parse(text)
    }

    public func identity(forKey key: UnsafeRawBufferPointer) -> InstanceIdentity {
        let text = key.string
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return InstanceIdentity(service: text, name: text) }
        return InstanceIdentity(service: parts[1], name: "\(parts[1])@\(parts[0])")
    }
}
