// libFuzzer harness for netdns-audit. Not part of the SwiftPM graph: `Scripts/fuzz.sh`
// compiles it together with the library sources into one module, so the library's internal
// API is visible without `import`. The target is chosen by NETDNS_FUZZ_TARGET:
//
//   lines      GoTraceParser (isTrace, parse, isOrphanContinuation, rebuild) and
//              DNSFailureScanner.scan on one message, and every envelope's decode on one line
//   analyzer   the bytes as a log stream: per-line, per-file and every forced envelope, with a
//              small line limit; the accounting invariant (buckets add up to lines) must hold,
//              and whole stretches (the fast path) must count as line by line
//   gzip       GzipSource over the bytes, then the whole content dispatch (gzip, tar, binary, text)
//   tar        TarReader over the bytes (every member read), then the content dispatch
//   elf        the bytes as a binary: ELF headers, dynamic table, Go build info, the pclntab
//              (its section, or the scan), every fact; and the pclntab parser on the raw bytes
//   image      the bytes as an image archive: tar (gzip), layers, manifest, merged filesystem,
//              links, findings; and the bytes as one layer
//   reports    SavedReportReader over the bytes (read in chunks of varying size): a report it
//              accepts keeps the line accounting, and written again it reads back the same
//
// Every finding aborts (a crash libFuzzer keeps as an artifact).
#if canImport(Glibc)
import Glibc
#endif

/// Bytes from memory, a few at a time (the chunk size varies with the input, to move line
/// and header boundaries across reads).
struct FuzzBytes: ByteSource {
    let bytes: UnsafeRawBufferPointer
    var offset = 0
    let chunk: Int

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let n = min(buffer.count, chunk, bytes.count - offset)
        guard n > 0 else { return 0 }
        buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: n)
        offset += n
        return n
    }

    mutating func close() {}
}

enum FuzzTarget: String {
    case lines, analyzer, gzip, tar, elf, image, reports

    static let selected: FuzzTarget = {
        let name = getenv("NETDNS_FUZZ_TARGET").map { String(cString: $0) } ?? "analyzer"
        guard let target = FuzzTarget(rawValue: name) else {
            fputs("NETDNS_FUZZ_TARGET must be lines, analyzer, gzip, tar, elf, image or reports\n", stderr)
            exit(2)
        }
        return target
    }()
}

func check(_ condition: Bool, _ what: @autoclosure () -> String) {
    if !condition {
        fputs("fuzz finding: \(what())\n", stderr)
        abort()
    }
}

/// The invariants every summary keeps.
func checkTotals(_ summary: AuditSummary, _ what: String) {
    let t = summary.totals
    check(t.bucketTotal == t.lines, "\(what): buckets \(t.bucketTotal) != lines \(t.lines) in \(t)")
    check(t.failures >= t.failureLines, "\(what): \(t.failureLines) failure lines but \(t.failures) failures")
    var instanceLines = 0
    for instance in summary.instances.values { instanceLines += instance.lines }
    check(instanceLines + t.unattributedLines <= t.lines, "\(what): instance lines \(instanceLines) exceed lines \(t.lines)")
}

func fuzzLines(_ data: UnsafeRawBufferPointer) {
    _ = GoTraceParser.isTrace(data)
    _ = GoTraceParser.parse(data)
    _ = GoTraceParser.isOrphanContinuation(data)
    // Split the input in two: a torn fragment and its continuation.
    let cut = data.count > 0 ? Int(data[0]) % (data.count + 1) : 0
    _ = GoTraceParser.rebuild(fragment: Array(data[0..<cut]), continuation: UnsafeRawBufferPointer(rebasing: data[cut...]))
    DNSFailureScanner.scan(data) { failure in
        check(!failure.name.isEmpty, "empty failing name")
    }
    let source = SourceContext(path: "/var/log/pods/ns_pod-7d9f8b6c5-x2k4p_0f0e/c/0.log")
    for kind in EnvelopeKind.allCases {
        let type = EnvelopeRegistry.type(for: kind)
        _ = type.recognises(data, source: source)
        var envelope = type.init(source: source)
        for _ in 0..<2 {
            if case .line(let line) = envelope.decode(data) {
                _ = envelope.identity(forKey: line.instanceKey)
                DNSFailureScanner.scan(line.message) { _ in }
            }
        }
        envelope.finish { _ in }
    }
}

func fuzzAnalyzer(_ data: UnsafeRawBufferPointer) {
    let chunk = 1 + (data.count > 0 ? Int(data[data.count - 1]) % 97 : 0)
    let sources = [
        SourceContext(path: nil),
        SourceContext(path: "/var/log/pods/shop_api-7d9f8b6c5-x2k4p_0f0e/api/0.log"),
    ]
    var modes: [StreamAnalyzer.EnvelopeMode] = [.perLine, .perFile]
    modes += EnvelopeKind.allCases.map { .forced($0) }
    for (m, mode) in modes.enumerated() {
        let source = sources[m % 2]
        var bytes = FuzzBytes(bytes: data, chunk: chunk)
        let summary: AuditSummary
        if m == 0 {
            // Once through the public entry point...
            let (s, error) = Analyzer(options: AnalyzerOptions(maxLineBytes: 1024)).analyze(&bytes, source: source, mode: mode)
            check(error == nil, "memory never fails")
            summary = s
        } else {
            // ...and the same steps with a small reused splitter buffer (a fresh 1 MiB one per
            // run is slow under AddressSanitizer).
            let analyzer = StreamAnalyzer(source: source, mode: mode)
            do {
                try smallSplitter.run(&bytes, line: { analyzer.consume($0) }, overlong: { analyzer.consumeOverlong() })
            } catch {
                check(false, "memory never fails")
            }
            summary = analyzer.finish()
            // The same bytes as whole stretches (the vector index and the kubectl fast path)
            // must give the same summary as line by line.
            let fast = StreamAnalyzer(source: source, mode: mode)
            var again = FuzzBytes(bytes: data, chunk: chunk)
            do {
                try fast.read(&again, through: smallSplitter)
            } catch {
                check(false, "memory never fails")
            }
            check(fast.finish() == summary, "mode \(mode): stretches and line by line differ")
        }
        checkTotals(summary, "mode \(mode)")
        _ = AuditReport(summary)
    }
}

/// Lines over 1 KiB are over-long; reads of at most 4 KiB.
nonisolated(unsafe) let smallSplitter = LineSplitter(maxLineBytes: 1024, chunkBytes: 4096)

func fuzzGzip(_ data: UnsafeRawBufferPointer) {
    var gzip = GzipSource(FuzzBytes(bytes: data, chunk: 4096), path: "fuzz.gz")
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
    defer { buffer.deallocate() }
    var total = 0
    while total < 64 << 20 {
        do {
            let n = try gzip.read(into: buffer)
            if n == 0 { break }
            total += n
        } catch {
            break
        }
    }
    gzip.close()
    dispatch(data)
}

func fuzzTar(_ data: UnsafeRawBufferPointer) {
    let reader = TarReader(FuzzBytes(bytes: data, chunk: 1 + data.count % 1000), archiveName: "fuzz.tar")
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
    defer { buffer.deallocate() }
    var members = 0
    while members < 10_000 {
        do {
            guard let member = try reader.nextMember() else { break }
            check(member.size >= 0, "negative member size")
            members += 1
            if members % 2 == 0 { continue } // skip some members unread
            while try reader.readMember(into: buffer) > 0 {}
        } catch {
            break
        }
    }
    reader.close()
    dispatch(data)
}

/// The whole content dispatch of one input (gzip, tar, binary, text).
/// The saved-report reader: never a trap, whatever the bytes; what it accepts is consistent
/// (buckets add up, no count beyond the budget) and survives a round trip through the writer.
func fuzzReports(_ data: UnsafeRawBufferPointer) {
    var source = FuzzBytes(bytes: data, chunk: 1 + (data.first.map(Int.init) ?? 0) % 97)
    var accepted: [SavedReport] = []
    let reader = SavedReportReader()
    do {
        try reader.read(&source, name: "fuzz") { accepted.append($0) }
    } catch {
        check(!error.problem.isEmpty, "an empty problem")
    }
    check(reader.budget.used >= 0 && reader.budget.used <= CountBudget.limit, "budget \(reader.budget.used)")
    for report in accepted {
        checkTotals(report.summary, "accepted report")
        let written: [UInt8]
        do { written = Array(try AuditReport(report.summary, tool: report.tool ?? "").jsonData()) } catch {
            check(false, "an accepted report could not be written: \(error)")
            return
        }
        var again: [SavedReport] = []
        do {
            try SavedReportReader().read(bytes: written, name: "again") { again.append($0) }
        } catch {
            check(false, "a written report was refused: \(error)")
        }
        check(again.count == 1 && again.first?.summary == report.summary, "the round trip changed the report")
    }
}

func dispatch(_ data: UnsafeRawBufferPointer) {
    let analyzer = Analyzer(options: AnalyzerOptions(maxLineBytes: 1024))
    let (summary, _) = analyzer.analyzeContent(
        of: FuzzBytes(bytes: data, chunk: 1 + data.count % 3000), source: SourceContext(path: "fuzz"), mode: .perFile)
    checkTotals(summary, "content dispatch")
}

func fuzzELF(_ data: UnsafeRawBufferPointer) {
    if let facts = try? BinaryInspector.inspect(data, path: "fuzz") {
        check(facts.elfClass == 32 || facts.elfClass == 64, "ELF class \(facts.elfClass)")
        check(facts.cgoResolver == facts.cgoPackages.contains("net"), "cgo resolver and packages disagree")
        _ = BinaryFindings.findings(facts)
    }
    if let elf = try? ELFFile(data) {
        _ = try? GoBuildInfo.read(elf)
        _ = try? ELFDynamic(elf)
        _ = GoFunctionTable.read(elf)
    }
    for bigEndian in [false, true] {
        if let table = GoFunctionTable.scan(data, bigEndian: bigEndian) {
            check(table.functionCount > 0, "empty function table accepted")
            _ = table.cgoPackages()
            _ = table.functions(prefix: "net.", limit: 10)
        }
    }
    _ = GoBuildInfo(goVersion: "go1.x", moduleInfo: String(decoding: data, as: UTF8.self))
}

func fuzzImage(_ data: UnsafeRawBufferPointer) {
    let inspector = ImageInspector(maxBinaryBytes: 1 << 20)
    if let result = try? inspector.inspectArchive(FuzzBytes(bytes: data, chunk: 1 + data.count % 777), name: "fuzz.tar") {
        for finding in result.report.findings { check(!finding.message.isEmpty && !finding.advice.isEmpty, "empty finding") }
    }
    // The bytes as one layer, merged twice (a layer over itself), every path resolved.
    let tar = TarReader(FuzzBytes(bytes: data, chunk: 1 + data.count % 501), archiveName: "fuzz-layer")
    var files: [ImageFile] = []
    try? LayerScanner(reader: ImageFileReader(maxBinaryBytes: 1 << 20)).scan(tar, into: &files)
    var fs = MergedFilesystem()
    fs.apply(layer: files)
    fs.apply(layer: files)
    for file in files.prefix(200) { _ = fs.resolve(file.path) }
    let env = ImageEnvironment(fs, config: ImageManifest.Config())
    for (_, facts) in fs.goBinaries { _ = ImageFindings.findings(facts, in: fs, environment: env) }
    _ = ImageManifest.config(Array(data))
    _ = try? ImageManifest.resolve(read: { _ in Array(data) }, hasOCILayout: true)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = UnsafeRawBufferPointer(start: count > 0 ? start : nil, count: count)
    switch FuzzTarget.selected {
    case .lines: fuzzLines(data)
    case .analyzer: fuzzAnalyzer(data)
    case .gzip: fuzzGzip(data)
    case .tar: fuzzTar(data)
    case .elf: fuzzELF(data)
    case .image: fuzzImage(data)
    case .reports: fuzzReports(data)
    }
    return 0
}
