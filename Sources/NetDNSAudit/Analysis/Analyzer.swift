#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Settings of one analysis.
public struct AnalyzerOptions: Sendable {
    /// Force one envelope instead of detecting it.
    public var envelope: EnvelopeKind?
    /// Put every instance under this service name.
    public var service: String?
    /// Lines longer than this are counted as over-long and not analysed.
    public var maxLineBytes: Int
    /// Told how many bytes were read, about once per MiB (a progress display); `nil`: no ticks.
    public var progress: (@Sendable (ProgressTick) -> Void)? = nil
    /// Threads to use: files read at once, and ranges a large file is split into (1: single-threaded).
    public var jobs: Int
    /// Whether large plain files are read through memory maps rather than `read(2)`: a few
    /// percent faster on a file in the page cache, but a file truncated while it is mapped
    /// (`copytruncate` rotation) makes the process fail with SIGBUS. Off by default.
    public var memoryMap: Bool

    public init(envelope: EnvelopeKind? = nil, service: String? = nil, maxLineBytes: Int = 1 << 20,
                jobs: Int = ProcessorCount.active, memoryMap: Bool = false) {
        self.envelope = envelope
        self.service = service
        self.maxLineBytes = maxLineBytes
        self.jobs = max(1, jobs)
        self.memoryMap = memoryMap
    }
}

/// What to read.
public enum InputSpec: Sendable, Equatable {
    case standardInput
    case path(String)

    /// `-` means standard input.
    public init(argument: String) {
        self = argument == "-" ? .standardInput : .path(argument)
    }
}

/// The summary of all inputs and the problems met on the way.
public struct AnalysisResult: Sendable {
    public var summary: AuditSummary
    /// Inputs that could not be read, or only in part, in the order met.
    public var errors: [InputError]
}

/// Reads inputs and returns their merged summary. Never prints, never exits.
public struct Analyzer: Sendable {
    public var options: AnalyzerOptions

    public init(options: AnalyzerOptions = AnalyzerOptions()) {
        self.options = options
    }

    /// Analyses every input; an unreadable one is reported in ``AnalysisResult/errors`` and the
    /// others are still analysed.
    public func analyze(_ inputs: [InputSpec]) -> AnalysisResult {
        var summary = SummaryAccumulator(service: options.service)
        var errors: [InputError] = []
        var paths: [String] = []
        func flushPaths() {
            guard !paths.isEmpty else { return }
            ParallelFileAnalyzer(analyzer: self).analyze(paths: paths, into: &summary, errors: &errors)
            paths = []
        }
        for input in inputs {
            switch input {
            case .path(let p):
                paths.append(p)
            case .standardInput:
                flushPaths()
                let (s, problems) = analyzeInput(.standardInput)
                summary.add(s)
                errors += problems
            }
        }
        flushPaths()
        // Merged, renamed (`--service`) and bounded as `merge`, `assignService` and `applyLimits` would.
        return AnalysisResult(summary: summary.finish(), errors: errors)
    }

    /// Analyses one file (plain, gzip, tar or tar.gz; see ``analyzeInput(_:)``).
    ///
    /// - Returns: the summary and the first problem met; ``analyzeInput(_:)`` returns them all.
    public func analyzeFile(_ path: String) -> (AuditSummary, InputError?) {
        let (summary, errors) = analyzeInput(.path(path))
        return (summary, errors.first)
    }

    /// Analyses standard input, deciding the envelope line by line (gzip and tar are
    /// recognised there too).
    ///
    /// - Returns: the summary and the first problem met; ``analyzeInput(_:)`` returns them all.
    public func analyzeStandardInput() -> (AuditSummary, InputError?) {
        let (summary, errors) = analyzeInput(.standardInput)
        return (summary, errors.first)
    }

    /// Analyses any byte stream.
    public func analyze<S: ByteSource>(_ bytes: inout S, source: SourceContext, mode: StreamAnalyzer.EnvelopeMode) -> (AuditSummary, InputError?) {
        let effectiveMode: StreamAnalyzer.EnvelopeMode = options.envelope.map { .forced($0) } ?? mode
        let analyzer = StreamAnalyzer(source: source, mode: effectiveMode, maxLineBytes: options.maxLineBytes)
        if source.path == nil, options.jobs > 1, let reader = LineReadAhead(bytes) {
            return analyze(reader, into: analyzer)
        }
        let splitter = LineSplitter(maxLineBytes: options.maxLineBytes)
        var readError: InputError? = nil
        do {
            try analyzer.read(&bytes, through: splitter)
        } catch {
            readError = error
        }
        var summary = analyzer.finish()
        summary.totals.bytes = splitter.bytesRead
        if readError != nil { summary.totals.readErrors += 1 }
        return (summary, readError)
    }

    /// Standard input with more than one job: read and line-indexed on a thread of its own
    /// (``LineReadAhead``) while this one decodes, the lines cut by the rules of every reader.
    func analyze(_ reader: LineReadAhead, into analyzer: StreamAnalyzer) -> (AuditSummary, InputError?) {
        let assembler = LineAssembler(maxLineBytes: options.maxLineBytes)
        var readError: InputError? = nil
        do {
            while let slot = try reader.next() {
                analyzer.feed(slot.bytes, index: slot.index, through: assembler)
                reader.release()
            }
        } catch {
            readError = error
        }
        reader.finish()
        // The last line without a newline (also before a read error).
        assembler.finish(line: { analyzer.consume($0) })
        var summary = analyzer.finish()
        summary.totals.bytes = reader.bytesRead
        if readError != nil { summary.totals.readErrors += 1 }
        return (summary, readError)
    }
}
