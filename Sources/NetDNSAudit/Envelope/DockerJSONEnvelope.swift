#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    var timestamps = TimestampCache()
    /// The message of a record whose unescaping was deferred (see ``decode(_:deferringEscapes:)``).
    let unescapedText = MessageBuffer()

    public init(source: SourceContext) { self.source = source }

    public static func recognises(_ line: UnsafeRawBufferPointer, source: SourceContext) -> Bool {
        var timestamps = TimestampCache()
        return recognises(line, source: source, timestamps: &timestamps)
    }

    static func recognises(_ line: UnsafeRawBufferPointer, source: SourceContext, timestamps: inout TimestampCache) -> Bool {
        // Application JSON may have a `log` key too: a record also needs `stream` and `time`.
        guard line.count > 1, line[0] == 0x7B, line.firstRange(of: "\"log\":") != nil else { return false }
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
        /// Whether the `log` value has a `\\u` or `\\/` escape (``JSONString/Extent/hasRespellingEscape``).
        var hasRespellingEscape = false
        /// The offsets in `log` of the first escape and of the one before the last (-1: none).
        var firstEscape = -1
        var previousEscape = -1
    }

    /// `{"log":"`, `","stream":"` and `","time":"` as little-endian words.
    static let logKey: UInt64 = 0x223A_2267_6F6C_227B
    static let streamKey = (UInt64(0x6165_7274_7322_2C22), UInt32(0x223A_226D))
    static let timeKey = (UInt64(0x2265_6D69_7422_2C22), UInt16(0x223A))

    /// A record as dockerd writes it, `{"log":"…","stream":"stdout|stderr","time":"…"}` and
    /// nothing else, read with word compares and a vector scan of the value; `nil` for any other
    /// shape, which ``parse(_:timestamps:)`` then reads (to the same fields).
    @inline(__always)
    static func canonical(_ line: UnsafeRawBufferPointer, timestamps: inout TimestampCache) -> Fields? {
        let n = line.count
        guard n >= 50, let base = line.baseAddress, base.loadUnaligned(as: UInt64.self) == logKey,
              let value = JSONString.scan(line, from: 8) else { return nil }
        let q = value.end
        // `","stream":"` (12 bytes), `stdout` or `stderr`, `","time":"` (10 bytes), a time, `"}`.
        guard n - q >= 12 + 6 + 10 + 20 + 2,
              base.loadUnaligned(fromByteOffset: q, as: UInt64.self) == streamKey.0,
              base.loadUnaligned(fromByteOffset: q + 8, as: UInt32.self) == streamKey.1,
              base.loadUnaligned(fromByteOffset: q + 18, as: UInt64.self) == timeKey.0,
              base.loadUnaligned(fromByteOffset: q + 26, as: UInt16.self) == timeKey.1,
              base.load(fromByteOffset: n - 1, as: UInt8.self) == 0x7D, base.load(fromByteOffset: n - 2, as: UInt8.self) == ASCII.quote
        else { return nil }
        let isStderr: Bool
        switch (base.loadUnaligned(fromByteOffset: q + 12, as: UInt32.self), base.loadUnaligned(fromByteOffset: q + 16, as: UInt16.self)) {
        case (0x6F64_7473, 0x7475): isStderr = false   // "stdout"
        case (0x6564_7473, 0x7272): isStderr = true    // "stderr"
        default: return nil
        }
        // A quote or backslash in the time (another shape) fails the strict RFC 3339 parse.
        let time = UnsafeRawBufferPointer(start: base + q + 28, count: n - 2 - (q + 28))
        guard let timestamp = timestamps.parse(time) else { return nil }
        return Fields(log: line.slice(8, q), escapes: value.escapes, lastEscape: value.lastEscape - 8, isStderr: isStderr,
                      hasStream: true, timestamp: timestamp, hasRespellingEscape: value.hasRespellingEscape,
                      firstEscape: value.firstEscape < 0 ? -1 : value.firstEscape - 8,
                      previousEscape: value.previousEscape < 0 ? -1 : value.previousEscape - 8)
    }

    /// Reads the object's fields, or `nil` if the line is not a json-file record.
    static func parse(_ line: UnsafeRawBufferPointer, timestamps: inout TimestampCache) -> Fields? {
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
                    fields.hasRespellingEscape = value.hasRespellingEscape
                    fields.firstEscape = value.firstEscape < 0 ? -1 : value.firstEscape - (i + 1)
                    fields.previousEscape = value.previousEscape < 0 ? -1 : value.previousEscape - (i + 1)
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

    @inline(__always)
    public mutating func decode(_ line: UnsafeRawBufferPointer) -> EnvelopeDecoding {
        decode(line, deferringEscapes: false)
    }

    /// ``decode(_:)``; with `deferringEscapes`, a whole record whose triage can be answered on
    /// its escaped text comes back still escaped (``EnvelopedLine/escaped``): no `\\u` or `\\/`
    /// escape (so `lookup ` and the fault texts are in the text exactly when they are in the
    /// message), its first eight bytes
    /// the message's or its bytes before the first escape already unlike a trace line's start,
    /// and no escape at its last non-blank byte. The recorder asks for ``unescaped(_:)`` only
    /// when the message may need more than counting.
    @inline(__always)
    mutating func decode(_ line: UnsafeRawBufferPointer, deferringEscapes: Bool) -> EnvelopeDecoding {
        guard let f = Self.canonical(line, timestamps: &timestamps) ?? Self.parse(line, timestamps: &timestamps) else { return .mismatch }
        let pieces = split.pieces(stderr: f.isStderr)
        let log = f.log
        // The last escape is at `count - 2` only if it really is `\n` (an escaped backslash
        // before an `n` would start one byte earlier).
        // Fast path: a whole message whose only escape is its trailing `\n`.
        let endsInNewline = log.count >= 2 && f.lastEscape == log.count - 2 && log[log.count - 1] == 0x6E
        if pieces.isEmpty, endsInNewline, f.escapes == 1 {
            return .line(EnvelopedLine(instanceKey: Self.noKey, timestamp: f.timestamp, message: log.slice(0, log.count - 2)))
        }
        // (Within both buffers' limits, so that the message is whole either way.)
        if deferringEscapes, pieces.isEmpty, endsInNewline, !f.hasRespellingEscape, log.count <= min(pieces.limit, unescapedText.limit),
           f.firstEscape >= 8 || !Self.startsLikeTrace(log, before: f.firstEscape) {
            // Every escape is two bytes: past the one before the trailing `\n`, the bytes are
            // the message's own, so its last non-blank byte is the text's.
            let text = log.slice(0, log.count - 2)
            if text.trimmingTrailingWhitespace().count - 1 > f.previousEscape + 1 {
                var decoded = EnvelopedLine(instanceKey: Self.noKey, timestamp: f.timestamp, message: text)
                decoded.escaped = true
                decoded.needleWitness = log
                return .line(decoded)
            }
        }
        let singlePiece = pieces.isEmpty
        split.notePiece(stderr: f.isStderr, timestamp: f.timestamp)
        pieces.appendInPlace(maxCount: log.count) { JSONString.unescape(log, into: $0) }
        guard endsInNewline else { return .continued }
        let joinedCount = pieces.bytes.count
        // The unescaped text ends in the newline that ended the message.
        var decoded = SplitMessages.take(pieces, timestamp: split.start(stderr: f.isStderr) ?? f.timestamp, dropTrailing: ASCII.newline)
        // A whole message unescaped from one record: `lookup ` and the fault texts are in it
        // exactly when they are in the escaped value, unless a `\\u` or `\\/` escape could spell them.
        if singlePiece, !f.hasRespellingEscape, joinedCount <= log.count, decoded.overlongTail == nil { decoded.needleWitness = log }
        return .line(decoded)
    }

    /// Whether the `count` bytes of `text` before its first escape are the start of
    /// ``GoTraceParser/prefix`` (so the message may start like a trace line).
    static func startsLikeTrace(_ text: UnsafeRawBufferPointer, before count: Int) -> Bool {
        let prefix = GoTraceParser.prefix
        guard count >= 0, count <= prefix.utf8CodeUnitCount, count <= text.count else { return true }
        return memcmp(text.baseAddress!, prefix.utf8Start, count) == 0
    }

    /// The message of a record that ``decode(_:deferringEscapes:)`` left escaped (valid until the
    /// next call).
    func unescaped(_ text: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        unescapedText.clear()
        unescapedText.appendInPlace(maxCount: text.count) { JSONString.unescape(text, into: $0) }
        return unescapedText.bytes
    }

    public mutating func finish(_ emit: (EnvelopedLine) -> Void) { split.finish(emit) }

    public func identity(forKey key: UnsafeRawBufferPointer) -> InstanceIdentity {
        if let path = source.path, let identity = DockerContainerConfig.identity(forLogPath: path) { return identity }
        return InstanceIdentity(service: source.baseName, name: source.baseName)
    }

    static var noKey: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }
}
