/// Docker's json-file log driver: `{"log":"MESSAGE\n","stream":"stderr","time":"..."}`.
///
/// The `log` value is unescaped into a reusable buffer. A message over 16 KiB is written as
/// pieces whose `log` lacks the trailing `\n`; they are joined, per stream, with the following
/// pieces up to the one that ends in `\n`, which is removed. One file is one container: its
/// name comes from the path (see ``DockerContainerConfig``).
public struct DockerJSONEnvelope: LogEnvelope {
    public static let kind = EnvelopeKind.docker
    let source: SourceContext
    var split = SplitMessages()
    /// Records of one second share their date and time: parsed once.
    var timestamps = RFC3339Cache()

    public init(source: SourceContext) { self.source = source }

    public static func recognises(_ line: UnsafeRawBufferPointer, source: SourceContext) -> Bool {
        // Application JSON may have a `log` key too: a record also needs `stream` and `time`.
        guard line.count > 1, line[0] == 0x7B, line.firstRange(of: "\"log\":") != nil else { return false }
        var timestamps = RFC3339Cache()
        guard let f = parse(line, timestamps: &timestamps) else { return false }
        return f.hasStream && f.timestamp != nil
    }

    struct Fields {
        /// The raw `log` value, still escaped.
        var log: UnsafeRawBufferPointer
        var escapes: Int
        var lastEscape: Int
        var isStderr: Bool
        var hasStream: Bool
        var timestamp: Int64?
    }

    /// Reads the object's fields, or `nil` if the line is not a json-file record.
    static func parse(_ line: UnsafeRawBufferPointer, timestamps: inout RFC3339Cache) -> Fields? {
        guard line.count >= 10, line[0] == 0x7B else { return nil }
        var fields = Fields(log: UnsafeRawBufferPointer(start: nil, count: 0), escapes: 0, lastEscape: -1, isStderr: false, hasStream: false, timestamp: nil)
        var hasLog = false
        var i = 1
        func skipSpace() { while i < line.count, line[i] == ASCII.space || line[i] == 0x09 { i += 1 } }
        while true {
            skipSpace()
            guard i < line.count, line[i] == ASCII.quote, let key = JSONString.scan(line, from: i + 1) else { return nil }
            let name = line.slice(i + 1, key.end)
            i = key.end + 1
            skipSpace()
            guard i < line.count, line[i] == ASCII.colon else { return nil }
            i += 1
            skipSpace()
            guard i < line.count else { return nil }
            if line[i] == ASCII.quote, name.equals("log") || name.equals("stream") || name.equals("time") {
                guard let value = JSONString.scan(line, from: i + 1) else { return nil }
                let raw = line.slice(i + 1, value.end)
                if name.equals("log") {
                    fields.log = raw
                    fields.escapes = value.escapes
                    fields.lastEscape = value.lastEscape - (i + 1)
                    hasLog = true
                } else if name.equals("stream") {
                    fields.isStderr = raw.equals("stderr")
                    fields.hasStream = fields.isStderr || raw.equals("stdout")
                } else {
                    fields.timestamp = timestamps.parse(raw)
                }
                i = value.end + 1
            } else {
                guard let end = JSONString.skipValue(line, from: i) else { return nil }
                i = end
            }
            skipSpace()
            guard i < line.count else { return nil }
            if line[i] == 0x2C { i += 1; continue }
            guard line[i] == 0x7D, hasLog else { return nil }
            return fields
        }
    }

    public mutating func decode(_ line: UnsafeRawBufferPointer) -> EnvelopeDecoding {
        guard let f = Self.parse(line, timestamps: &timestamps) else { return .mismatch }
        let pieces = split.pieces(stderr: f.isStderr)
        let log = f.log
        // The last escape is at `count - 2` only if it really is `\n` (an escaped backslash
        // before an `n` would start one byte earlier).
        // Fast path: a whole message whose only escape is its trailing `\n`.
        let endsInNewline = log.count >= 2 && f.lastEscape == log.count - 2 && log[log.count - 1] == 0x6E
        if pieces.isEmpty, endsInNewline, f.escapes == 1 {
            return .line(EnvelopedLine(instanceKey: Self.noKey, timestamp: f.timestamp, message: log.slice(0, log.count - 2)))
        }
        split.notePiece(stderr: f.isStderr, timestamp: f.timestamp)
        pieces.appendInPlace(maxCount: log.count) { JSONString.unescape(log, into: $0) }
        guard endsInNewline else { return .continued }
        let joined = pieces.bytes
        pieces.clear()
        let first = split.start(stderr: f.isStderr)
        // The unescaped text ends in the newline that ended the message.
        let message = joined.count > 0 && joined[joined.count - 1] == ASCII.newline ? joined.slice(0, joined.count - 1) : joined
        return .line(EnvelopedLine(instanceKey: Self.noKey, timestamp: first ?? f.timestamp, message: message))
    }

    public mutating func finish(_ emit: (EnvelopedLine) -> Void) { split.finish(emit) }

    public func identity(forKey key: UnsafeRawBufferPointer) -> InstanceIdentity {
        if let path = source.path, let identity = DockerContainerConfig.identity(forLogPath: path) { return identity }
        return InstanceIdentity(service: source.baseName, name: source.baseName)
    }

    static var noKey: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }
}
