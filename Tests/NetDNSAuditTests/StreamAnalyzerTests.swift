import Testing
@testable import NetDNSAudit

/// A byte source over memory, delivering at most `chunk` bytes per read.
struct MemorySource: ByteSource {
    var bytes: [UInt8]
    var offset = 0
    var chunk: Int

    init(_ text: String, chunk: Int = 1 << 20) {
        bytes = Array(text.utf8)
        self.chunk = chunk
    }

    init(bytes: [UInt8], chunk: Int = 1 << 20) {
        self.bytes = bytes
        self.chunk = chunk
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let n = min(buffer.count, bytes.count - offset, chunk)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
        offset += n
        return n
    }

    mutating func close() {}
}

func analyze(_ text: String, path: String? = "app.log", mode: StreamAnalyzer.EnvelopeMode = .perFile, options: AnalyzerOptions = AnalyzerOptions(), chunk: Int = 1 << 20) -> AuditSummary {
    var source = MemorySource(text, chunk: chunk)
    return Analyzer(options: options).analyze(&source, source: SourceContext(path: path), mode: mode).0
}

@Suite struct StreamAnalyzerTests {
    @Test func plainFileIsOneInstanceNamedAfterTheFile() {
        let s = analyze("go package net: dynamic selection of DNS resolver\ngo package net: hostLookupOrder(a) = cgo\n", path: "logs/price-cli.log")
        let id = InstanceIdentity(service: "price-cli", name: "price-cli")
        #expect(s.instances.keys.sorted() == [id])
        #expect(s.instances[id]?.forwardOrders[.cgo] == 1)
        #expect(s.instances[id]?.processes == 1)
        #expect(s.instances[id]?.debugLevel == 2)
    }

    @Test func linesEndAtNewlineCarriageReturnDroppedLastLineCounts() {
        let s = analyze("go package net: using the Go DNS resolver\r\nordinary\r\nlookup a on 1.2.3.4:53: no such host")
        #expect(s.totals.lines == 3)
        #expect(s.totals.recognisedTraceLines == 1)
        #expect(s.totals.failureLines == 1)
        #expect(s.totals.ordinaryLines == 1)
    }

    @Test func emptyInputIsAnEmptyReport() {
        let s = analyze("")
        #expect(s.instances.isEmpty)
        #expect(s.totals.lines == 0)
    }

    @Test func overlongLinesAreCountedAndSkipped() {
        let long = String(repeating: "x", count: 5000)
        let text = "lookup a on 1.2.3.4:53: no such host\n\(long) lookup b on 1.2.3.4:53: no such host\nlast\n"
        for chunk in [7, 100, 1 << 20] {
            let s = analyze(text, options: AnalyzerOptions(maxLineBytes: 1024), chunk: chunk)
            #expect(s.totals.lines == 3)
            #expect(s.totals.overlongLines == 1)
            #expect(s.totals.failures == 1)
            #expect(s.totals.bucketTotal == 3)
        }
    }

    @Test func aSixtyFourMebibyteLineNeitherCrashesNorStopsTheRun() {
        var bytes = Array("lookup a on 1.2.3.4:53: no such host\n".utf8)
        bytes += [UInt8](repeating: 0x41, count: 64 << 20)
        bytes += Array("\nlookup b on 1.2.3.4:53: no such host\n".utf8)
        var source = MemorySource(bytes: bytes, chunk: 1 << 20)
        let s = Analyzer().analyze(&source, source: SourceContext(path: "big.log"), mode: .perFile).0
        #expect(s.totals.lines == 3)
        #expect(s.totals.overlongLines == 1)
        #expect(s.totals.failures == 2)
        #expect(s.totals.bytes == bytes.count)
    }

    @Test func smallReadsGiveTheSameResult() {
        let text = (0..<50).map { "[pod/api-7d9f8b6c5-x2k4p/api] go package net: hostLookupOrder(n\($0).example) = files,dns" }.joined(separator: "\n")
        #expect(analyze(text, chunk: 3) == analyze(text))
    }

    @Test func kubectlPrefixAttributesToPodAndWorkload() {
        let text = """
        [pod/checkout-7d9f8b6c5-x2k4p/checkout] 2026-11-20T10:00:01.000103213Z go package net: using the cgo DNS resolver
        [pod/ledger-0/ledger] 2026-11-20T10:00:02.5Z lookup a on 10.96.0.10:53: no such host
        [pod/node-agent-4xk2p/agent] plain message
        """
        let s = analyze(text)
        let names = s.instances.keys.sorted().map { "\($0.service)|\($0.name)|\($0.container ?? "")" }
        #expect(names == ["checkout|checkout-7d9f8b6c5-x2k4p|checkout", "ledger|ledger-0|ledger", "node-agent|node-agent-4xk2p|agent"])
        let checkout = s.instances.values.first { $0.identity.service == "checkout" }!
        #expect(checkout.firstSeen == RFC3339.parse("2026-11-20T10:00:01.000103213Z"))
        #expect(checkout.cgoEvidence?.line == 1)
    }

    @Test func tornTraceLineIsRebuiltWithinTheSameInstance() {
        let text = """
        [pod/api-7d9f8b6c5-x2k4p/api] go package net: hostLookupOrder(2026/12/03 11:20:00 request served (method=GET)
        [pod/web-7d9f8b6c5-abcde/web] tracking.other.example) = cgo
        [pod/api-7d9f8b6c5-x2k4p/api] tracking.partner.example.biz) = files,dns
        """
        let s = analyze(text)
        let api = s.instances.values.first { $0.identity.service == "api" }!
        #expect(api.forwardOrders[.filesThenDNS] == 1)
        #expect(s.totals.rebuiltTraceLines == 1)
        #expect(s.totals.recognisedTraceLines == 2)
        // The other pod's line has the shape of a tail but nothing to finish: torn.
        #expect(s.totals.tornLines == 1)
        #expect(s.totals.bucketTotal == s.totals.lines)
    }

    @Test func unfinishedTornLineIsCountedAsTorn() {
        let s = analyze("go package net: hostLookupOrder(oops another write\nordinary\n")
        #expect(s.totals.tornLines == 1)
        #expect(s.totals.ordinaryLines == 1)
        #expect(s.totals.bucketTotal == 2)
    }

    @Test func unknownTraceLinesAreCountedNotDropped() {
        let s = analyze("go package net: a wording from go1.40\n")
        #expect(s.totals.unrecognisedTraceLines == 1)
        #expect(s.totals.unrecognisedTraceSamples == ["go package net: a wording from go1.40"])
    }

    @Test func invalidUTF8AndNULBytesDoNotStopTheRun() {
        var bytes: [UInt8] = Array("lookup a on 1.2.3.4:53: no such host\n".utf8)
        bytes += [0xFF, 0xFE, 0x00, 0x01, 0x0A, 0x00, 0x00, 0x0A]
        bytes += Array("lookup b on 1.2.3.4:53: server misbehaving\n".utf8)
        var source = MemorySource(bytes: bytes)
        let s = Analyzer().analyze(&source, source: SourceContext(path: "x.log"), mode: .perFile).0
        #expect(s.totals.lines == 4)
        #expect(s.totals.failures == 2)
    }

    @Test func standardInputDecidesPerLineAndKeepsInstancesApart() {
        let text = """
        plain start line
        [pod/api-7d9f8b6c5-x2k4p/api] go package net: using the Go DNS resolver
        a line without prefix in a kubectl stream
        [pod/db-0/db] go package net: using the cgo DNS resolver
        """
        let s = analyze(text, path: nil, mode: .perLine)
        let services = Set(s.instances.keys.map(\.service))
        #expect(services == ["stdin", "api", "db"])
        #expect(s.totals.unattributedLines == 1)
    }

    @Test func serviceOverride() {
        let result = analyze("[pod/api-7d9f8b6c5-x2k4p/api] x\n[pod/db-0/db] y\n")
        var summary = result
        summary.assignService("shop")
        #expect(Set(summary.instances.keys.map(\.service)) == ["shop"])
        #expect(summary.instances.count == 2)
    }
}

/// Hostile cardinality: instances beyond the limit fold into one row per service, with exact counts.
@Suite struct InstanceFoldingTests {
    @Test func instancesBeyondTheLimitFoldIntoOneRowPerService() {
        var lines: [String] = []
        for n in 0..<5_050 {
            for service in ["alpha", "beta"] {
                lines.append("[pod/\(service)-\(n)/app] lookup n\(n).example on 10.96.0.10:53: no such host")
            }
        }
        // Pods seen again after the limit is reached are counted once.
        lines.append("[pod/alpha-5049/app] go package net: hostLookupOrder(x) = cgo")
        lines.append("[pod/alpha-0/app] go package net: hostLookupOrder(x) = files,dns")
        let summary = analyze(lines.joined(separator: "\n"))
        let report = AuditReport(summary)
        #expect(report.services.map(\.name) == ["alpha", "beta"])
        #expect(report.services.map(\.instanceCount) == [5_050, 5_050])
        #expect(summary.instances.count == StreamAnalyzer.detailedInstanceLimit + 2)
        let folded = summary.instances.values.filter { $0.identity.name == InstanceSummary.foldedRowName }
        #expect(folded.map(\.foldedInstances).reduce(0, +) == 10_100 - StreamAnalyzer.detailedInstanceLimit)
        #expect(report.services.map(\.failures.total) == [5_050, 5_050])
        #expect(report.totals.failures == 10_100)
        #expect(report.services[0].lookups.cgo == 1 && report.services[0].lookups.go == 1)
        #expect(report.services[0].verdict == .mixed)
    }
}
