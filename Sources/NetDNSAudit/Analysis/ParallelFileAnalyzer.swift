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

    /// Analyses the walked items in order, merging into `summary` and appending to `errors`.
    func analyze(_ items: [InputWalker.Item], into summary: inout AuditSummary, errors: inout [InputError]) {
        var batch: [String] = []
        func flush() {
            for (s, problems) in analyzeConcurrently(batch) {
                summary.merge(s)
                errors += problems
            }
            batch = []
        }
        for item in items {
            switch item {
            case .file(let path):
                if jobs > 1 || analyzer.options.memoryMap, let size = Self.splittableSize(path) {
                    flush()
                    let (s, error) = analyzeSplit(path, size: size)
                    summary.merge(s)
                    if let error { errors.append(error) }
                } else {
                    batch.append(path)
                    if batch.count >= jobs * 64 { flush() }
                }
            case .problem(let error):
                flush()
                summary.totals.readErrors += 1
                errors.append(error)
            }
        }
        flush()
    }

    /// Analyses whole files (gzip and tar included), up to ``jobs`` at a time; results in the
    /// order of `paths`.
    func analyzeConcurrently(_ paths: [String]) -> [(AuditSummary, [InputError])] {
        if jobs == 1 || paths.count <= 1 { return paths.map { analyzer.analyzeInput(.path($0)) } }
        let results = ResultSlots<(AuditSummary, [InputError])>(count: paths.count)
        let next = WorkCounter()
        let worker = analyzer
        DispatchQueue.concurrentPerform(iterations: min(jobs, paths.count)) { _ in
            while let i = next.take(below: paths.count) {
                results.set(i, worker.analyzeInput(.path(paths[i])))
            }
        }
        return results.values
    }

    /// The size of a file worth splitting: a regular file of at least ``splitThreshold`` bytes
    /// that starts like text (not gzip, not tar, no NUL byte in its first 64 KiB). Compressed,
    /// archived and binary files go through ``Analyzer/analyzeFile(_:)`` whole.
    static func splittableSize(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, Int(st.st_size) >= splitThreshold else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 64 << 10)
        let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        if head[0] == 0x1F && head[1] == 0x8B { return nil }
        if n >= 262, head[257..<262].elementsEqual("ustar".utf8) { return nil }
        if head[0..<n].contains(0) { return nil }
        return Int(st.st_size)
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

/// Hands out indices `0, 1, 2...` to worker threads.
final class WorkCounter: @unchecked Sendable {
    private var next = 0
    private let lock = NSLockLike()
    func take(below limit: Int) -> Int? {
        lock.locked {
            guard next < limit else { return nil }
            defer { next += 1 }
            return next
        }
    }
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
