import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Spreads files over ``AnalyzerOptions/jobs`` threads: several files are read at once, and a
/// large plain file is split into newline-aligned byte ranges read in parallel. Summaries are
/// merged in input order, so the result equals a single-threaded run (see the README's
/// Performance section for the edge cases at range cuts).
struct ParallelFileAnalyzer {
    let analyzer: Analyzer
    /// Plain regular files at least this large are split into ranges.
    static let splitThreshold = 64 << 20

    var jobs: Int { max(1, analyzer.options.jobs) }

    /// Walks `paths` (``InputWalker``) and analyses every file found, on ``jobs`` threads that
    /// share the walk (``WalkPipeline``): each takes the next items, listing the next directory
    /// when the walk needs one, and reads the files one after the other, each with one `open`,
    /// one `fstat` and, for a small file, one `read`. The results are merged in walk order, into
    /// `summary` and `errors`, as one thread would merge them. A file reached through two paths
    /// is read once, through the first: told apart by the `fstat` of the file opened.
    func analyze(paths: [String], into summary: inout SummaryAccumulator, errors: inout [InputError]) {
        let merged = Merged(summary)
        let pipeline = WalkPipeline<FileOutcome>(InputWalker.Walk(paths, vanished: .reported, identifiesFiles: false),
                                                 window: Self.mergeWindow) { merged.add($0) }
        let worker = self
        WorkerThreads.run(jobs) {
            while let (first, items) = pipeline.take(upTo: Self.stretch) {
                pipeline.deliver(first, items.map { worker.outcome(of: $0) })
            }
        }
        summary = merged.summary
        errors += merged.errors
    }

    /// Items a thread takes at once.
    static let stretch = 8
    /// Items the reading threads may run ahead of the merge.
    static let mergeWindow = 512

    /// What one walked item adds to the run.
    enum FileOutcome {
        case problem(InputError)
        /// A file read (or not): its summary and problems, and which file it is when it is a
        /// regular file (`nil`: a pipe or a device, or not known).
        case file(AuditSummary, [InputError], FileID?)
    }

    typealias FileID = InputWalker.FileID

    /// The summary of the items merged so far, written by one thread at a time (``WalkPipeline``).
    final class Merged: @unchecked Sendable {
        var summary: SummaryAccumulator
        var errors: [InputError] = []
        var seenFiles = Set<FileID>()

        init(_ summary: SummaryAccumulator) { self.summary = summary }

        func add(_ outcome: FileOutcome) {
            switch outcome {
            case .problem(let error):
                var failed = AuditSummary()
                failed.totals.readErrors = 1
                summary.add(failed)
                errors.append(error)
            case .file(let s, let problems, let id):
                if let id, !seenFiles.insert(id).inserted { return }
                summary.add(s)
                errors += problems
            }
        }
    }

    /// Reads one walked item.
    func outcome(of item: InputWalker.Item) -> FileOutcome {
        switch item {
        case .problem(let error):
            return .problem(error)
        case .file(let path):
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                let error = InputError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
                // Which file could not be opened, so that a second path to it is not reported again.
                var st = stat()
                let id = stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFREG ? FileID(st) : nil
                var failed = AuditSummary()
                failed.totals.readErrors = 1
                return .file(failed, [error], id)
            }
            var st = stat()
            let regular = fstat(fd, &st) == 0 && st.st_mode & S_IFMT == S_IFREG
            let id = regular ? FileID(st) : nil
            if regular, jobs > 1 || analyzer.options.memoryMap, Int(st.st_size) >= Self.splitThreshold, Self.isSplittable(fd) {
                close(fd)
                let (s, error) = analyzeSplit(path, size: Int(st.st_size))
                return .file(s, error.map { [$0] } ?? [], id)
            }
            let (s, problems) = analyzer.analyzeOpened(FileDescriptorSource(adopting: fd, path: path, sizeAtOpen: regular ? Int(st.st_size) : nil))
            return .file(s, problems, id)
        }
    }

    /// Whether a regular file of at least ``splitThreshold`` bytes is worth splitting: it starts
    /// like text (not gzip, not tar, no NUL byte in its first 64 KiB). Compressed, archived and
    /// binary files go through ``Analyzer/analyzeFile(_:)`` whole.
    static func isSplittable(_ fd: Int32) -> Bool {
        var head = [UInt8](repeating: 0, count: 64 << 10)
        let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        if head[0] == 0x1F && head[1] == 0x8B { return false }
        if n >= 262, head[257..<262].elementsEqual("ustar".utf8) { return false }
        if head[0..<n].contains(0) { return false }
        return true
    }

    /// Analyses one large file as ``jobs`` ranges (or `parts`). The envelope is decided once from
    /// the file's first lines and forced on every range; evidence line numbers are shifted by the
    /// lines of the ranges before. A range that ends with torn trace starts still pending hands
    /// them to the next range, which is then analysed again seeded with them (rare), so torn
    /// lines whose pieces straddle a cut are rebuilt exactly as in one pass; so is a range that
    /// ends while its envelope joins the pieces of a message (CRI `P`, Docker partial records):
    /// the next range is decoded by that envelope.
    func analyzeSplit(_ path: String, size: Int, parts: Int? = nil) -> (AuditSummary, InputError?) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return analyzer.analyzeFile(path) }
        defer { close(fd) }
        let source = SourceContext(path: path)
        var options = analyzer.options
        if options.envelope == nil {
            options.envelope = fileEnvelope(fd: fd, path: path, size: size, source: source)
        }
        let ranges = RangeCuts.cuts(fd: fd, size: size, parts: parts ?? jobs)
        let rangeOptions = options
        let results = ResultSlots<RangeResult>(count: ranges.count)
        DispatchQueue.concurrentPerform(iterations: ranges.count) { i in
            results.set(i, Self.analyzeRange(fd: fd, path: path, range: ranges[i], options: rangeOptions, seed: [], pieces: nil,
                                             isLast: i == ranges.count - 1))
        }
        var parts = results.values
        for i in parts.indices.dropFirst() where !parts[i - 1].carried.isEmpty || parts[i - 1].pieces != nil {
            parts[i] = Self.analyzeRange(fd: fd, path: path, range: ranges[i], options: options, seed: parts[i - 1].carried,
                                         pieces: parts[i - 1].pieces, isLast: i == ranges.count - 1)
        }
        var merged = AuditSummary()
        var firstError: InputError? = nil
        var linesBefore = 0
        for var part in parts {
            part.summary.shiftEvidenceLines(by: linesBefore)
            linesBefore += part.summary.totals.lines
            merged.merge(part.summary)
            if firstError == nil { firstError = part.error }
        }
        merged.totals.tornLines += parts.last?.carried.count ?? 0
        merged.totals.files = 1
        merged.totals.readErrors = firstError == nil ? 0 : 1
        if parts.count > 1 && merged.exceedsStreamLimits {
            // A range folded instances or names, or their union is beyond the bounds: which
            // ones one stream keeps depends on the order it met them in. Read as one stream,
            // exactly as `--jobs 1` reads it.
            if options.memoryMap { return analyzeWhole(path, fd: fd, size: size, options: options) }
            let (summary, errors) = analyzer.analyzeInput(.path(path))
            return (summary, errors.first)
        }
        return (merged, firstError)
    }

    /// The file as one range: what `--jobs 1 --mmap` reads.
    func analyzeWhole(_ path: String, fd: Int32, size: Int, options: AnalyzerOptions) -> (AuditSummary, InputError?) {
        let whole = Self.analyzeRange(fd: fd, path: path, range: 0..<size, options: options, seed: [])
        var summary = whole.summary
        summary.totals.tornLines += whole.carried.count
        summary.totals.files = 1
        summary.totals.readErrors = whole.error == nil ? 0 : 1
        return (summary, whole.error)
    }

    struct RangeResult {
        var summary: AuditSummary
        var error: InputError?
        /// Torn starts still pending at the end of the range.
        var carried: [StreamAnalyzer.CarriedTorn]
        /// The envelope, when it still joins pieces of a message at the end of the range.
        var pieces: StreamAnalyzer.CarriedPieces?
    }

    /// Analyses the bytes `range` of an open file with a forced envelope.
    static func analyzeRange(fd: Int32, path: String, range: Range<Int>, options: AnalyzerOptions,
                             seed: [StreamAnalyzer.CarriedTorn], pieces: StreamAnalyzer.CarriedPieces? = nil, isLast: Bool = true) -> RangeResult {
        let analyzer = StreamAnalyzer(source: SourceContext(path: path), mode: options.envelope.map { .forced($0) } ?? .perFile,
                                      maxLineBytes: options.maxLineBytes)
        analyzer.carriesPendingTorn = true
        analyzer.carriesPieces = !isLast
        analyzer.seed(seed)
        analyzer.seed(pieces)
        var error: InputError? = nil
        var bytesRead = 0
        if options.memoryMap {
            let reader = MappedLineReader(fd: fd, path: path, range: range, maxLineBytes: options.maxLineBytes)
            let progress = options.progress
            do {
                bytesRead = try analyzer.read(reader, progress: { progress?(ProgressTick(newBytes: $0)) })
            } catch let e {
                error = e
            }
        } else {
            var bytes = ProgressCountingSource(
                base: RangeSource(fd: fd, path: path, start: range.lowerBound, end: range.upperBound), progress: options.progress)
            let splitter = LineSplitter(maxLineBytes: options.maxLineBytes)
            do {
                try analyzer.read(&bytes, through: splitter)
            } catch let e {
                error = e
            }
            bytesRead = splitter.bytesRead
        }
        var summary = analyzer.finish()
        summary.totals.bytes = bytesRead
        if error != nil { summary.totals.readErrors += 1 }
        return RangeResult(summary: summary, error: error, carried: analyzer.carriedTorn, pieces: analyzer.carriedPieces)
    }

    /// The envelope of a file, voted by its first lines as ``EnvelopeSelector`` votes in a
    /// stream (the same selector, fed the lines the line splitter cuts).
    func fileEnvelope(fd: Int32, path: String, size: Int, source: SourceContext) -> EnvelopeKind {
        var selector = EnvelopeSelector(source: source, mode: .perFile)
        var bytes = RangeSource(fd: fd, path: path, start: 0, end: min(size, 64 << 20))
        let splitter = LineSplitter(maxLineBytes: analyzer.options.maxLineBytes)
        let flag = StopFlag()
        var stop = StoppingSource(inner: bytes, flag: flag)
        _ = try? splitter.run(&stop, line: { line in
            if !flag.stopped, selector.hold(line) { flag.stopped = true }
        }, overlong: {
            if !flag.stopped, selector.holdOverlong() { flag.stopped = true }
        })
        bytes.close()
        return selector.decidedKind()
    }
}

/// A source that ends early once `stopped` is set.
struct StoppingSource<Inner: ByteSource>: ByteSource {
    var inner: Inner
    let flag: StopFlag
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        flag.stopped ? 0 : try inner.read(into: buffer)
    }
    mutating func close() { inner.close() }
}

final class StopFlag { var stopped = false }

/// One slot per work item, each written by exactly one thread.
final class ResultSlots<Value>: @unchecked Sendable {
    private var slots: [Value?]
    private let lock = NSLockLike()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Value) { lock.locked { slots[i] = value } }
    var values: [Value] { slots.map { $0! } }
}

/// A pthread mutex (Foundation-free).
final class NSLockLike: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    init() { pthread_mutex_init(mutex, nil) }
    deinit { pthread_mutex_destroy(mutex); mutex.deallocate() }
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

extension AuditSummary {
    /// Adds `lines` to every evidence line number (a range that started after `lines` lines).
    mutating func shiftEvidenceLines(by lines: Int) {
        guard lines != 0 else { return }
        for (identity, var s) in instances {
            s.cgoEvidence?.line += lines
            s.goEvidence?.line += lines
            instances[identity] = s
        }
    }
}
