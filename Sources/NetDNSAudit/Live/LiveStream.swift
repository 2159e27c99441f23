/// One stream analysed while it is still being written: bytes arrive in pieces, a summary can
/// be taken at any moment (``snapshot()``), and ``finish()`` ends it as a batch run would.
public final class LiveStream {
    public let analyzer: StreamAnalyzer
    let assembler: LineAssembler
    /// Bytes fed so far.
    public private(set) var bytes = 0

    public init(source: SourceContext, mode: StreamAnalyzer.EnvelopeMode, options: AnalyzerOptions) {
        analyzer = StreamAnalyzer(source: source, mode: options.envelope.map { .forced($0) } ?? mode, maxLineBytes: options.maxLineBytes)
        assembler = LineAssembler(maxLineBytes: options.maxLineBytes)
    }

    /// Analyses the lines that `chunk` completes; an unfinished last line waits for more bytes.
    public func feed(_ chunk: UnsafeRawBufferPointer) {
        feed(chunk, through: assembler)
    }

    /// Like ``feed(_:)`` with another assembler: one path's successive files (a rotated
    /// file still being read, and its replacement) each keep their own unfinished line.
    public func feed(_ chunk: UnsafeRawBufferPointer, through assembler: LineAssembler) {
        bytes += chunk.count
        analyzer.feed(chunk, through: assembler)
    }

    /// Analyses the unfinished last line as a line (the input ended or was replaced).
    public func endOfLine(of assembler: LineAssembler? = nil) {
        let analyzer = self.analyzer
        (assembler ?? self.assembler).finish(line: { analyzer.consume($0) })
    }

    /// The summary so far; the stream goes on.
    public func snapshot() -> AuditSummary {
        var summary = analyzer.snapshot()
        summary.totals.bytes = bytes
        return summary
    }

    /// Ends the stream: the unfinished last line counts, held pieces are settled.
    public func finish() -> AuditSummary {
        endOfLine()
        var summary = analyzer.finish()
        summary.totals.bytes = bytes
        return summary
    }
}
