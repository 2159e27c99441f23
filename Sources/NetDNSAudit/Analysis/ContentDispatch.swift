import CNetDNSShim

/// Opening an input and deciding, from its first bytes, how to read it: gzip is decompressed,
/// a tar archive is read member by member, a binary file is skipped, and text is analysed.
extension Analyzer {
    /// How deep archives inside archives are opened; deeper ones are skipped as binary.
    static let maxArchiveNesting = 3

    /// Analyses one input, whatever it holds.
    ///
    /// - gzip (magic `1f 8b`, single or multi-member) is decompressed; a truncated or corrupt
    ///   stream keeps the lines decoded before the damage and adds an error.
    /// - A tar archive (`ustar` at offset 257, also inside gzip) is read member by member; each
    ///   regular member is analysed as its own file named `ARCHIVE/MEMBER-PATH`, so path-based
    ///   attribution (CRI `.../pods/NS_POD_UID/CONTAINER/N.log`) works inside support bundles.
    /// - A leading run of NUL bytes (a `copytruncate` hole, see ``LeadingNULSkipper``) is
    ///   dropped before the content is judged; its bytes are counted in ``InputTotals/bytes``.
    /// - A binary file (see ``InputContent/classify(_:)``) is skipped and listed in
    ///   ``InputTotals/binaryFilesSkipped``; that is not an error (the commands say so, and
    ///   `check --on-skipped` decides whether it fails the gate).
    ///
    /// - Returns: the summary and every problem met, in order; each problem is counted in
    ///   ``InputTotals/readErrors``.
    public func analyzeInput(_ input: InputSpec) -> (AuditSummary, [InputError]) {
        switch input {
        case .standardInput:
            _ = netdns_set_pipe_size(0, 1 << 20)
            let source = FileDescriptorSource(descriptor: 0, name: "-")
            return analyzeContent(of: source, source: SourceContext(path: nil), mode: .perLine)
        case .path(let path):
            let file: FileDescriptorSource
            do {
                file = try FileDescriptorSource(path: path)
            } catch {
                var failed = AuditSummary()
                failed.totals.readErrors = 1
                return (failed, [error])
            }
            return analyzeOpened(file)
        }
    }

    /// ``analyzeInput(_:)`` of a file already open.
    func analyzeOpened(_ file: FileDescriptorSource) -> (AuditSummary, [InputError]) {
        // Progress counts the file's own bytes (compressed ones for gzip), as its size does.
        let counted = ProgressCountingSource(base: file, progress: options.progress)
        return analyzeContent(of: counted, source: SourceContext(path: file.path), mode: .perFile)
    }

    /// Analyses a stream of unknown content (see ``analyzeInput(_:)``) and closes it.
    ///
    /// `mode` applies to text; archive members are always files (``StreamAnalyzer/EnvelopeMode/perFile``).
    public func analyzeContent(of raw: any ByteSource, source: SourceContext, mode: StreamAnalyzer.EnvelopeMode) -> (AuditSummary, [InputError]) {
        analyzeContent(of: raw, source: source, mode: mode, nesting: 0)
    }

    func analyzeContent(of raw: any ByteSource, source: SourceContext, mode: StreamAnalyzer.EnvelopeMode, nesting: Int) -> (AuditSummary, [InputError]) {
        let peeked = PeekableSource(raw, peeking: InputContent.sniffBytes)
        var decoded = peeked
        if InputContent.isGzip(peeked.prefix) {
            let gzip = GzipSource(peeked, path: source.displayName)
            // With more than one job, a file is decompressed on a thread of its own while its
            // lines are analysed on this one (not standard input: closing would wait for its writer).
            let threaded = options.jobs > 1 && source.path != nil && nesting == 0
            decoded = PeekableSource(threaded ? ReadAheadSource(gzip) : gzip, peeking: InputContent.sniffBytes)
        }
        // A leading run of NULs (a copytruncate hole) is not content: dropped, then judged again.
        var hole: LeadingNULSkipper? = nil
        if decoded.prefix.first == 0 {
            let skipper = LeadingNULSkipper(decoded)
            hole = skipper
            decoded = PeekableSource(skipper, peeking: InputContent.sniffBytes)
        }
        var content = InputContent.classify(decoded.prefix)
        if content == .tarArchive && nesting >= Self.maxArchiveNesting { content = .binary }
        switch content {
        case .text:
            defer { decoded.close() }
            var (summary, error) = analyze(&decoded, source: source, mode: mode)
            summary.totals.bytes += hole?.skipped ?? 0
            return (summary, error.map { [$0] } ?? [])
        case .binary:
            decoded.close()
            var summary = AuditSummary()
            summary.totals.binaryFilesSkipped = [source.displayName]
            return (summary, [])
        case .tarArchive:
            let reader = TarReader(decoded, archiveName: source.displayName)
            defer { reader.close() }
            return analyzeArchive(reader, nesting: nesting)
        }
    }

    /// Analyses every regular member of an archive as its own file. A damaged archive keeps
    /// the members (and the part of a member) read before the damage.
    func analyzeArchive(_ reader: TarReader, nesting: Int) -> (AuditSummary, [InputError]) {
        var summary = AuditSummary()
        var errors: [InputError] = []
        while true {
            let member: TarReader.Member?
            do {
                member = try reader.nextMember()
            } catch {
                summary.totals.readErrors += 1
                errors.append(error)
                break
            }
            guard let member else { break }
            let memberSource = SourceContext(path: reader.archiveName + "/" + member.path)
            let (memberSummary, memberErrors) = analyzeContent(
                of: TarMemberSource(reader), source: memberSource, mode: .perFile, nesting: nesting + 1)
            summary.merge(memberSummary)
            errors += memberErrors
            if let failure = reader.failure {
                // The archive itself is damaged: no member follows. Report it once.
                if !errors.contains(failure) {
                    summary.totals.readErrors += 1
                    errors.append(failure)
                }
                break
            }
        }
        return (summary, errors)
    }
}
