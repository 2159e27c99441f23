/// What was read, and where every line went.
///
/// Every line read lands in exactly one bucket: ``recognisedTraceLines``, ``unrecognisedTraceLines``,
/// ``tornLines``, ``failureLines``, ``ordinaryLines``, ``overlongLines``, ``continuationLines`` or
/// ``binaryLines``; ``bucketTotal`` equals ``lines``. The pieces of a split message (CRI `P`,
/// Docker partial) are continuation lines except the last, which counts in the bucket of the
/// joined message, also when the stream ends before the message is finished.
public struct InputTotals: Sendable, Equatable, Codable {
    /// Bytes read (decompressed bytes for compressed input).
    public var bytes = 0
    /// Physical lines read.
    public var lines = 0
    /// `go package net:` lines this tool knows, both pieces of rebuilt torn lines included.
    public var recognisedTraceLines = 0
    /// `go package net:` lines of an unknown wording.
    public var unrecognisedTraceLines = 0
    /// Pieces of torn trace lines that could not be rebuilt.
    public var tornLines = 0
    /// Torn trace lines rebuilt from two pieces.
    public var rebuiltTraceLines = 0
    /// Lines (not trace lines) that mention at least one DNS failure.
    public var failureLines = 0
    /// All other lines.
    public var ordinaryLines = 0
    /// Lines longer than the line limit: counted, not analysed.
    public var overlongLines = 0
    /// Pieces of a split message (CRI `P`, Docker partial) joined into a later line.
    public var continuationLines = 0
    /// Lines of skipped binary files. Binary files are skipped without being read (they are
    /// listed in ``binaryFilesSkipped``), so their lines are counted neither here nor in
    /// ``lines``: this stays 0 and is kept for the report's schema.
    public var binaryLines = 0
    /// DNS failure mentions.
    public var failures = 0
    /// Lines whose envelope names no instance (for example a line without the kubectl prefix
    /// in a kubectl stream); they are still counted in the buckets above.
    public var unattributedLines = 0
    /// Inputs read (files, archive members, standard input).
    public var files = 0
    /// Inputs that could not be read, or only in part.
    public var readErrors = 0
    /// Files skipped as binary.
    public var binaryFilesSkipped: [String] = []
    /// Up to ``sampleLimit`` distinct unrecognised trace lines, for the user to report: the
    /// smallest ones in byte order, so that the samples of merged totals do not depend on the
    /// order or grouping of the merges (nor on how the input was split).
    public var unrecognisedTraceSamples: [String] = []

    /// How many unrecognised trace lines are kept as samples.
    public static let sampleLimit = 5

    public init() {}

    /// The sum of all buckets; equals ``lines``.
    public var bucketTotal: Int {
        recognisedTraceLines + unrecognisedTraceLines + tornLines + failureLines + ordinaryLines
            + overlongLines + continuationLines + binaryLines
    }

    public mutating func merge(_ o: InputTotals) {
        bytes += o.bytes
        lines += o.lines
        recognisedTraceLines += o.recognisedTraceLines
        unrecognisedTraceLines += o.unrecognisedTraceLines
        tornLines += o.tornLines
        rebuiltTraceLines += o.rebuiltTraceLines
        failureLines += o.failureLines
        ordinaryLines += o.ordinaryLines
        overlongLines += o.overlongLines
        continuationLines += o.continuationLines
        binaryLines += o.binaryLines
        failures += o.failures
        unattributedLines += o.unattributedLines
        files += o.files
        readErrors += o.readErrors
        binaryFilesSkipped = SortedNames.union(binaryFilesSkipped, o.binaryFilesSkipped)
        for sample in o.unrecognisedTraceSamples { noteUnrecognisedSample(sample) }
    }

    /// Offers an unrecognised trace line as a sample: kept when it is among the
    /// ``sampleLimit`` smallest distinct lines seen (the list stays sorted).
    public mutating func noteUnrecognisedSample(_ text: String) {
        guard !unrecognisedTraceSamples.contains(text) else { return }
        if unrecognisedTraceSamples.count >= Self.sampleLimit {
            guard let largest = unrecognisedTraceSamples.last, Self.byteOrder(text, largest) else { return }
            unrecognisedTraceSamples.removeLast()
        }
        let at = unrecognisedTraceSamples.firstIndex { Self.byteOrder(text, $0) } ?? unrecognisedTraceSamples.endIndex
        unrecognisedTraceSamples.insert(text, at: at)
    }

    /// Orders strings by their UTF-8 bytes, the same on every platform.
    static func byteOrder(_ a: String, _ b: String) -> Bool { UTF8Order.precedes(a, b) }
}
