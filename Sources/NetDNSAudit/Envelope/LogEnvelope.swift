/// Where a stream of lines comes from: its path decides attribution for file-based envelopes.
public struct SourceContext: Sendable, Equatable {
    /// The path as the user gave it (or as it stands inside an archive); `nil` for standard input.
    public var path: String?

    public init(path: String?) { self.path = path }

    /// The name used in messages and evidence: the path, or `-` for standard input.
    public var displayName: String { path ?? "-" }

    /// The last path component without its extensions (`price-cli.log.gz` gives `price-cli`),
    /// or `stdin`.
    public var baseName: String {
        guard let path else { return "stdin" }
        let last = path.split(separator: "/").last.map(String.init) ?? path
        return last.split(separator: ".").first.map(String.init) ?? last
    }

    /// The path's components, for envelopes that read attribution from the path.
    public var pathComponents: [Substring] { (path ?? "").split(separator: "/") }
}

/// One message taken out of its envelope.
///
/// The buffers are only valid until the next call to the envelope that produced them.
public struct EnvelopedLine {
    /// Bytes that name the writer within the source (a kubectl prefix, a compose name...);
    /// empty when the source itself is the writer (a plain file, a CRI file).
    public var instanceKey: UnsafeRawBufferPointer
    /// The envelope's timestamp in nanoseconds since 1970, when it has one.
    public var timestamp: Int64?
    /// The message as the program wrote it.
    public var message: UnsafeRawBufferPointer
    /// Bytes of the read buffer that hold `lookup ` and the fault texts anywhere in a message
    /// (``FaultRecognizer/anywhereNeedles``) exactly when ``message`` does (the escaped text of
    /// a message the envelope unescaped), so the triage can answer from the line index; `nil`:
    /// the message itself.
    var needleWitness: UnsafeRawBufferPointer? = nil
    /// Set when the message was joined from pieces (CRI `P`, Docker partial records) and grew
    /// beyond `--max-line-bytes`: ``message`` then holds only its first bytes (up to the limit)
    /// and this its last ones (a window over the end, after the first bytes). Such a message is
    /// counted as over-long, and both parts are scanned.
    var overlongTail: UnsafeRawBufferPointer? = nil
    /// Whether ``message`` is still the escaped text of the message (Docker's JSON, decoded for
    /// recording): its first eight bytes start a trace line exactly when the message's do, its
    /// last non-blank byte is the message's, and ``needleWitness`` is set;
    /// `LineDecoder/unescaped(_:)` gives the message.
    var escaped = false

    public init(instanceKey: UnsafeRawBufferPointer, timestamp: Int64?, message: UnsafeRawBufferPointer) {
        self.instanceKey = instanceKey
        self.timestamp = timestamp
        self.message = message
    }
}

/// The result of offering one physical line to an envelope decoder.
public enum EnvelopeDecoding {
    /// A complete message.
    case line(EnvelopedLine)
    /// A piece held back to be joined with later lines (CRI `P`, Docker partial).
    case continued
    /// The line does not have this envelope.
    case mismatch
}

/// The names of the envelopes, for `--envelope` and reports.
public enum EnvelopeKind: String, Sendable, CaseIterable, Codable {
    case kubectl
    /// containerd / CRI-O files under `/var/log/pods` and `/var/log/containers`.
    case cri
    /// Docker's json-file log driver.
    case docker
    /// `docker compose logs` (v2) with its `NAME-N  | ` prefix.
    case compose
    /// `stern` with its `[NAMESPACE ]POD CONTAINER ` prefix.
    case stern
    /// journald / syslog short formats (`journalctl -o short` and `-o short-iso`).
    case journald
    case plain
}

/// A log envelope: the framing a collector puts around each line a program wrote.
///
/// To support a new source, add one type conforming to this protocol and list it in
/// ``EnvelopeRegistry``.
public protocol LogEnvelope {
    /// The envelope's name.
    static var kind: EnvelopeKind { get }

    /// Whether the line has this envelope; used to detect the envelope of a stream.
    static func recognises(_ line: UnsafeRawBufferPointer, source: SourceContext) -> Bool

    /// Whether the envelope is too easily mistaken for ordinary text to be detected from a few
    /// lines: it is then chosen for a file only when most of its first lines have it, and on
    /// standard input only when forced.
    static var detectionNeedsMajority: Bool { get }

    init(source: SourceContext)

    /// Decodes one physical line (without its newline).
    mutating func decode(_ line: UnsafeRawBufferPointer) -> EnvelopeDecoding

    /// The instance that an ``EnvelopedLine/instanceKey`` of this envelope names.
    /// Called once per distinct key, off the hot path.
    func identity(forKey key: UnsafeRawBufferPointer) -> InstanceIdentity

    /// Emits messages still held back at the end of the input (an unfinished partial message).
    mutating func finish(_ emit: (EnvelopedLine) -> Void)
}

extension LogEnvelope {
    public static var detectionNeedsMajority: Bool { false }

    public mutating func finish(_ emit: (EnvelopedLine) -> Void) {}
}
