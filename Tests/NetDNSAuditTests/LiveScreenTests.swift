import Foundation
import Testing
@testable import NetDNSAudit
@testable import netdns_audit

/// Builds a summary with one instance per (service, verdict-shaping lines).
func liveSummary(_ text: String) -> AuditSummary {
    analyze(text, path: nil, mode: .perLine)
}

@Suite struct LiveScreenTests {
    static let text = """
    [pod/alpha-7d9f8b6c5-x2k4p/alpha] go package net: hostLookupOrder(a.example) = files,dns
    [pod/beta-7d9f8b6c5-x2k4p/beta] go package net: hostLookupOrder(b.example) = cgo
    [pod/gamma-7d9f8b6c5-x2k4p/gamma] lookup g.example on 10.0.0.10:53: no such host
    [pod/delta-7d9f8b6c5-x2k4p/delta] lookup d.example on 10.0.0.10:53: no such host
    [pod/delta-7d9f8b6c5-x2k4p/delta] lookup d.example on 10.0.0.10:53: server misbehaving
    [pod/omega-7d9f8b6c5-x2k4p/omega] nothing about DNS

    """

    func frame(_ summary: AuditSummary, latest: [String: String] = [:], columns: Int = 120, rows: Int = 40) -> LiveScreen.Frame {
        LiveScreen.Frame(report: AuditReport(summary), latest: latest, elapsed: 3725.4, linesPerSecond: 41.6,
                         source: "standard input", columns: columns, rows: rows)
    }

    @Test func cgoAndFailingServicesComeFirst() {
        let lines = LiveScreen().lines(frame(liveSummary(Self.text)))
        #expect(lines[0] == "netdns-audit watch  1:02:05  6 lines  42 lines/s  5 service(s)  3 failure(s)  [standard input]")
        #expect(lines[2].hasPrefix("SERVICE  INST  VERDICT       LINES  GO  CGO  FAIL  FAULTS  LATEST EVIDENCE"))
        #expect(lines[3...7].map { String($0.prefix(5)) } == ["beta ", "omega", "delta", "gamma", "alpha"])
        #expect(lines[5] == "delta    1     pure-go       2      -   -    2     -")
        #expect(lines.last == "Ctrl-C: stop and print the report")
    }

    @Test func countsChangeInPlaceFromOneFrameToTheNext() {
        let stream = LiveStream(source: SourceContext(path: nil), mode: .perLine, options: AnalyzerOptions())
        let one = "[pod/delta-7d9f8b6c5-x2k4p/delta] lookup d.example on 10.0.0.10:53: no such host\n"
        Array(one.utf8).withUnsafeBytes { stream.feed($0) }
        let before = LiveScreen().lines(frame(stream.snapshot()))
        Array((one + one).utf8).withUnsafeBytes { stream.feed($0) }
        let after = LiveScreen().lines(frame(stream.snapshot()))
        #expect(before.count == after.count)
        #expect(before[3].hasPrefix("delta    1     pure-go  1      -   -    1"))
        #expect(after[3].hasPrefix("delta    1     pure-go  3      -   -    3"))
    }

    @Test func latestEvidenceIsShownAndCutToTheWidth() {
        let latest = ["delta": "lookup d.example on 10.0.0.10:53: server misbehaving"]
        let wide = LiveScreen().lines(frame(liveSummary(Self.text), latest: latest))
        #expect(wide[5].hasSuffix("2     -       lookup d.example on 10.0.0.10:53: server misbehaving"))
        let narrow = LiveScreen().lines(frame(liveSummary(Self.text), latest: latest, columns: 68))
        #expect(narrow.allSatisfy { TextEscaping.visibleWidth($0) <= 68 })
        #expect(narrow[5].hasSuffix("  2     -       lookup d…"))
    }

    @Test func hostileNamesAndEvidenceCannotDriveTheTerminal() {
        var summary = AuditSummary()
        let id = InstanceIdentity(service: "evil\u{1B}[2J\u{07}", name: "x")
        var instance = InstanceSummary(identity: id)
        instance.lines = 1
        summary.instances[id] = instance
        let lines = LiveScreen().lines(frame(summary, latest: ["evil\u{1B}[2J\u{07}": "boom\u{1B}]0;title\u{07}\u{9B}"]))
        let row = lines[3]
        #expect(!row.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(row.hasPrefix("evil\\x1b[2J\\x07"))
        #expect(row.hasSuffix("boom\\x1b]0;title\\x07\\x9b"))
    }

    @Test func tooManyServicesForTheWindowAreCounted() {
        let lines = LiveScreen().lines(frame(liveSummary(Self.text), rows: 8))
        #expect(lines.count == 8)
        #expect(lines[3...4].map { String($0.prefix(5)) } == ["beta ", "omega"])
        #expect(lines[5] == "... and 3 more service(s)")
    }

    @Test func emptyScreenSaysSo() {
        let lines = LiveScreen().lines(frame(AuditSummary()))
        #expect(lines.last == "(no services yet)")
        #expect(lines.count == 5)
    }

    @Test func framesRedrawInPlace() {
        #expect(TerminalScreen.frame(["a", "b"]) == "\u{1B}[Ha\u{1B}[K\r\nb\u{1B}[K\r\n\u{1B}[J")
        #expect(LiveScreen.clock(0) == "0:00:00")
        #expect(LiveScreen.clock(59.9) == "0:00:59")
        #expect(LiveScreen.clock(36_061) == "10:01:01")
    }
}

@Suite struct ProgressBarTests {
    @Test func barShowsPercentSpeedAndETA() {
        let line = ProgressBar.line(done: 25_000_000, total: 100_000_000, elapsed: 2, width: 100)
        #expect(line == "[##########..............................]   25%  25.0 of 100.0 MB  12.5 MB/s  ETA 0:06")
        #expect(line.count <= 100)
    }

    @Test func narrowTerminalsGetAShorterBarOrNoBar() {
        let line = ProgressBar.line(done: 50, total: 100, elapsed: 1, width: 70)
        #expect(line.count <= 70)
        #expect(line == "[#############.............]   50%  0.0 of 0.0 MB  0.0 MB/s  ETA 0:01")
        let tiny = ProgressBar.line(done: 50, total: 100, elapsed: 1, width: 30)
        #expect(tiny.count <= 29)
        #expect(tiny.hasPrefix("50%"))
    }

    @Test func etaFormatting() {
        #expect(ProgressBar.eta(nil) == "--:--")
        #expect(ProgressBar.eta(.infinity) == "--:--")
        #expect(ProgressBar.eta(0) == "0:00")
        #expect(ProgressBar.eta(5.2) == "0:06")
        #expect(ProgressBar.eta(125) == "2:05")
        #expect(ProgressBar.eta(3 * 3600 + 7) == "3:00:07")
        #expect(ProgressBar.eta(1e9) == "--:--")
    }

    @Test func nothingReadYetHasNoETAAndDoneIsCapped() {
        #expect(ProgressBar.line(done: 0, total: 10_000_000, elapsed: 0, width: 100).hasSuffix("0.0 MB/s  ETA --:--"))
        #expect(ProgressBar.line(done: 20, total: 10, elapsed: 1, width: 100).contains("100%"))
        #expect(ProgressBar.megabytes(1_949_999) == "1.9")
        #expect(ProgressBar.megabytes(1_950_000) == "2.0")
        #expect(ProgressBar.erase == "\r\u{1B}[2K")
    }
}

/// `watch` shows the faults as they come: the FAULTS column of a live stream.
@Suite struct LiveFaultTests {
    @Test func aLiveStreamCountsFaultsAndDumps() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/faults/kubectl/payments.log")
        let data = [UInt8](try Data(contentsOf: url))
        let stream = LiveStream(source: SourceContext(path: nil), mode: .perLine, options: AnalyzerOptions())
        // Fed in pieces that cut lines (and dumps) anywhere, as a pipe delivers them.
        var at = 0
        var random = SplitMix64(seed: 5)
        while at < data.count {
            let n = min(data.count - at, 1 + random.below(700))
            data[at..<at + n].withUnsafeBytes { stream.feed($0) }
            at += n
        }
        let report = AuditReport(stream.snapshot())
        let gateway = try #require(report.services.first { $0.name == "partner-gateway" })
        #expect(gateway.faults?.byKind[.cgoResolverStack] == 1)
        #expect(gateway.faults?.getaddrinfoGoroutines == 6)
        #expect(gateway.verdict == .cgo)
        let frame = LiveScreen.Frame(report: report, latest: [:], elapsed: 1, linesPerSecond: 1, source: "-", columns: 200, rows: 40)
        let row = try #require(LiveScreen().lines(frame).first { $0.hasPrefix("report-gen") })
        #expect(row.contains("glibc-version:2"))
    }
}
