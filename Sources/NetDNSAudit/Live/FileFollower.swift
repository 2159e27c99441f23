#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Follows files and directory trees like `tail -F`, analysing what is appended.
///
/// Call ``poll()`` every few hundred milliseconds. Each call finds new files (a pod that
/// started), reads what was appended, and notices a file replaced by a new one (rotation: the
/// old file is read to its end, the new one from its start) or cut short (truncation: read
/// again from the start). Files are read from their start when first seen.
///
/// Attribution is by path, as in a batch run: one ``StreamAnalyzer`` per path, kept across
/// rotations. Compressed files (`.gz`, `.tgz`, `.tar`) present at the start are analysed once;
/// ones that appear later are rotated copies of lines already read and are skipped.
///
/// Files are followed by device and inode, never by name, so a file is read once however it
/// is renamed (kubelet's `0.log` → `0.log.20240101-…`, logrotate's `app.log` → `app.log.1`):
/// - the identity of a file is taken from the open descriptor (`fstat`), not from the name
///   looked at before opening, which may name another file by then;
/// - a file is let go only once it has no name left (`st_nlink` of its descriptor is 0: deleted),
///   after it is read to its end. A file no scan finds but that still has a name (renamed twice
///   between two scans, each rename falling between the directory listing and the look at the
///   name; renamed out of the tree) is kept open and read: it may be found again under any name,
///   and it is then the same file, read on from where it was. While its descriptor is open its
///   inode number cannot be given to a new file, so a file found under a known device and inode
///   is always one already followed, and one with a new device and inode is always new. So that
///   files moved out of the tree for good cannot use up the descriptors, at most
///   ``absentFileLimit`` such files stay open: beyond that, the one absent longest is read to its
///   end and let go (if it came back into the tree after that, it would be read again);
/// - a path that vanishes between the listing and the open is a rotation in progress, not an
///   error (only a path named on the command line that is missing at the start is reported).
///
/// Reading stops within one read (at most 1 MiB) once ``stopRequested`` says so, so a stop
/// signal is honoured promptly even on an endless file (`/dev/zero`) or a huge one.
public final class FileFollower {
    public let paths: [String]
    let options: AnalyzerOptions
    /// Called with each trace or failure message as it is read.
    let evidence: ((InstanceIdentity, UnsafeRawBufferPointer) -> Void)?
    /// Per path: the stream its lines are analysed in.
    var streams: [String: LiveStream] = [:]
    var streamOrder: [String] = []
    /// Open files by device and inode.
    var files: [FileKey: FollowedFile] = [:]
    /// Archives analysed once at the start.
    var archives = AuditSummary()
    var scans = 0
    var reported: Set<String> = []
    var problems: [InputError] = []
    let buffer: UnsafeMutableRawBufferPointer
    /// The most read from one file in one ``poll()``, so that one busy file does not starve the others.
    let bytesPerFilePerPoll = 8 << 20
    /// The most files kept open while no scan finds them but they still have a name.
    public var absentFileLimit = 256
    /// Asked before every read; once it returns true, reading stops (``poll()`` and
    /// ``finish()`` return with what was read so far). `watch` sets it to its stop signals.
    public var stopRequested: (() -> Bool)?

    var stopping: Bool { stopRequested?() ?? false }

    /// A followed file's device and inode (the walk's identity of a file).
    typealias FileKey = InputWalker.FileID

    final class FollowedFile {
        let path: String
        let fd: Int32
        var offset = 0
        let stream: LiveStream
        let lines: LineAssembler
        let regular: Bool
        /// Whether the file had no name left (deleted) at the last read: it is then let go.
        var deleted = false
        /// The last scan that found it (``FileFollower/scans`` then).
        var seenInScan: Int
        init(path: String, fd: Int32, stream: LiveStream, lines: LineAssembler, regular: Bool, seenInScan: Int) {
            self.seenInScan = seenInScan
            self.path = path
            self.fd = fd
            self.stream = stream
            self.lines = lines
            self.regular = regular
        }
    }

    public init(paths: [String], options: AnalyzerOptions, evidence: ((InstanceIdentity, UnsafeRawBufferPointer) -> Void)? = nil) {
        self.paths = paths
        self.options = options
        self.evidence = evidence
        buffer = .allocate(byteCount: 1 << 20, alignment: 16)
    }

    deinit {
        for file in files.values { close(file.fd) }
        buffer.deallocate()
    }

    /// How many files are open.
    public var followedFileCount: Int { files.count }

    /// Problems met since the last call (each distinct problem once per run).
    public func takeProblems() -> [InputError] {
        defer { problems = [] }
        return problems
    }

    /// One round: looks for new, replaced and vanished files and reads what was appended.
    /// - Returns: the bytes read.
    @discardableResult
    public func poll() -> Int {
        scan()
        var total = 0
        for (key, file) in files.sorted(by: { $0.value.path < $1.value.path }) {
            if stopping { break }
            total += pump(file)
            if file.deleted, !stopping {
                // Deleted (no name can show it again): read to its end, then let go. A file
                // that is only missing from the scans still has a name and stays followed.
                total += letGo(key, file)
            }
        }
        // Files no scan found but still linked somewhere: the longest absent beyond the limit go.
        let absent = files.filter { $0.value.seenInScan < scans }
        if absent.count > absentFileLimit, !stopping {
            let oldest = absent.sorted { ($0.value.seenInScan, $0.value.path) < ($1.value.seenInScan, $1.value.path) }
            for (key, file) in oldest.prefix(absent.count - absentFileLimit) where !stopping { total += letGo(key, file) }
        }
        scans += 1
        return total
    }

    /// Reads `file` to its end and stops following it.
    func letGo(_ key: FileKey, _ file: FollowedFile) -> Int {
        let read = pump(file, limit: .max)
        file.stream.endOfLine(of: file.lines)
        close(file.fd)
        files[key] = nil
        return read
    }

    /// The summary so far.
    public func snapshot() -> AuditSummary {
        var summary = archives
        for path in streamOrder { summary.merge(streams[path]!.snapshot()) }
        if let service = options.service { summary.assignService(service) }
        return summary
    }

    /// Reads what is left (until ``stopRequested``: a stop request ends the reading at once)
    /// and returns the final summary; the follower is done.
    public func finish() -> AuditSummary {
        for file in files.values {
            _ = pump(file, limit: .max)
            file.stream.endOfLine(of: file.lines)
            close(file.fd)
        }
        files = [:]
        var summary = archives
        for path in streamOrder { summary.merge(streams[path]!.finish()) }
        if let service = options.service { summary.assignService(service) }
        return summary
    }

    // MARK: Finding files

    static let archiveSuffixes = [".gz", ".tgz", ".tar"]

    func scan() {
        // A path named on the command line must exist at the start; after that, and inside
        // directories always, a path gone since it was listed is a rotation in progress.
        let walker = InputWalker(vanished: scans == 0 ? .skippedInsideDirectories : .skipped)
        for item in walker.expand(paths) {
            switch item {
            case .problem(let error):
                note(error)
            case .file(let path):
                var st = stat()
                guard stat(path, &st) == 0 else { continue }
                if let known = files[FileKey(st)] {
                    known.seenInScan = scans
                    continue
                }
                if Self.archiveSuffixes.contains(where: { path.hasSuffix($0) }) {
                    if scans == 0 { analyzeArchive(path) }
                    continue
                }
                open(path)
            }
        }
    }



    func analyzeArchive(_ path: String) {
        var batch = options
        batch.service = nil
        batch.progress = nil
        let (summary, error) = Analyzer(options: batch).analyzeFile(path)
        archives.merge(summary)
        if let error { note(error) }
    }

    /// Opens `path` and follows what was opened, unless it is a file already followed (the
    /// name now names a file seen under another name).
    func open(_ path: String) {
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            // Gone since the walk looked at it: renamed or deleted, the next scan finds it again.
            if errno != ENOENT && errno != ENOTDIR { note(.cannotOpen(path: path, reason: String(cString: strerror(errno)))) }
            return
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            note(.readFailed(path: path, reason: String(cString: strerror(errno))))
            close(fd)
            return
        }
        let key = FileKey(st)
        if let known = files[key] {
            known.seenInScan = scans
            close(fd)
            return
        }
        let regular = st.st_mode & S_IFMT == S_IFREG
        let stream: LiveStream
        if let existing = streams[path] {
            stream = existing
        } else {
            stream = LiveStream(source: SourceContext(path: path), mode: .perFile, options: options)
            stream.analyzer.evidenceObserver = evidence
            streams[path] = stream
            streamOrder.append(path)
        }
        files[key] = FollowedFile(
            path: path, fd: fd, stream: stream, lines: LineAssembler(maxLineBytes: options.maxLineBytes), regular: regular,
            seenInScan: scans)
    }

    func note(_ error: InputError) {
        if reported.insert(error.description).inserted { problems.append(error) }
    }

    // MARK: Reading

    /// Reads what was appended to `file`, after checking it was not cut short, and notes
    /// whether it was deleted (checked before reading, so a file deleted after its last write
    /// is read to its end before it is let go).
    func pump(_ file: FollowedFile, limit: Int? = nil) -> Int {
        var st = stat()
        if fstat(file.fd, &st) == 0 {
            file.deleted = st.st_nlink == 0
            if file.regular, Int(st.st_size) < file.offset {
                file.stream.endOfLine(of: file.lines)
                lseek(file.fd, 0, SEEK_SET)
                file.offset = 0
            }
        }
        let limit = limit ?? bytesPerFilePerPoll
        var total = 0
        while total < limit, !stopping {
            let n = Glibc.read(file.fd, buffer.baseAddress, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN { note(.readFailed(path: file.path, reason: String(cString: strerror(errno)))) }
                break
            }
            if n == 0 { break }
            file.stream.feed(UnsafeRawBufferPointer(start: buffer.baseAddress, count: n), through: file.lines)
            file.offset += n
            total += n
        }
        return total
    }
}
