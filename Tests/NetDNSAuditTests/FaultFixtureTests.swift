import CNetDNSShim
import Foundation
import Testing
@testable import NetDNSAudit
@testable import netdns_audit

/// The fault fixtures (Scripts/faults/make-fixtures.sh: real runs of runc, crun, busybox, the
/// glibc and musl loaders, go1.19 and go1.27, wrapped in kubectl, CRI and docker envelopes) give
/// exactly the counts of their expected.json, service by service.
@Suite struct FaultFixtureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/faults")

    struct Expected: Decodable {
        var lines: Int
        var faults: [String: Int]
        var getaddrinfoGoroutines: Int
        var goResolverGoroutines: Int
        var goResolverStacks: Int
        var highestGlibc: String?
    }

    static func expected() throws -> [String: [String: Expected]] {
        try JSONDecoder().decode([String: [String: Expected]].self, from: Data(contentsOf: root.appendingPathComponent("expected.json")))
    }

    static func report(_ tree: String, options: AnalyzerOptions = AnalyzerOptions()) -> (AuditReport, [InputError]) {
        let result = Analyzer(options: options).analyze([.path(root.appendingPathComponent(tree).path)])
        return (AuditReport(result.summary), result.errors)
    }

    static func key(_ s: ServiceReport) -> String { s.namespace.map { "\($0)/\(s.name)" } ?? s.name }

    @Test(arguments: ["kubectl", "cri", "docker"])
    func countsMatchExpected(_ tree: String) throws {
        let expected = try #require(try Self.expected()[tree])
        let (report, errors) = Self.report(tree)
        #expect(errors.isEmpty)
        #expect(report.totals.bucketTotal == report.totals.lines, "every line in one bucket")
        #expect(Set(report.services.map(Self.key)) == Set(expected.keys))
        for service in report.services {
            let label = "\(tree) \(Self.key(service))"
            guard let e = expected[Self.key(service)] else { continue }
            var faults = FaultTally()
            var lines = 0
            for i in service.instances {
                faults.merge(i.counters.faultTally)
                lines += i.counters.lines
            }
            #expect(lines == e.lines, "\(label): lines")
            #expect(faults.byKind.byRawValue == e.faults, "\(label): faults by kind")
            #expect((service.faults ?? FaultTally()).byKind.byRawValue == e.faults, "\(label): the service's faults")
            #expect(faults.getaddrinfoGoroutines == e.getaddrinfoGoroutines, "\(label): goroutines in getaddrinfo")
            #expect(faults.goResolverGoroutines == e.goResolverGoroutines, "\(label): pure-Go resolver goroutines")
            #expect(faults.goResolverStacks == e.goResolverStacks, "\(label): pure-Go resolver dumps")
            #expect(faults.highestGlibc?.description == e.highestGlibc, "\(label): highest GLIBC")
            for kind in faults.byKind.sortedKeys {
                #expect(faults.first[kind] != nil, "\(label): first \(kind.rawValue) line")
            }
            // Verdicts: dumps are resolver evidence; a program that never started shows none.
            if e.faults["cgo-resolver-stack", default: 0] > 0 {
                #expect(service.verdict == .cgo, "\(label): cgo frames make it cgo")
            } else if e.goResolverStacks > 0 {
                #expect(service.verdict == .pureGo, "\(label): pure-Go frames make it pure-Go")
            } else if e.faults.keys.contains(where: { FaultKind(rawValue: $0)?.preventsStart == true }) {
                #expect(service.verdict == .undetermined, "\(label)")
            }
        }
    }

    /// The first evidence line of a fault names its file and line: the kubectl file's lines are
    /// interleaved, so the line number is the one in that file.
    @Test func firstEvidenceNamesFileAndLine() throws {
        let (report, _) = Self.report("kubectl")
        let path = Self.root.appendingPathComponent("kubectl/payments.log").path
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let service = try #require(report.services.first { $0.name == "report-gen" })
        let first = try #require(service.faults?.first[.glibcVersion])
        #expect(first.file == path)
        #expect(lines[first.line - 1].hasSuffix(first.text))
        #expect(first.text.contains("version `GLIBC_2.32' not found"))
        #expect(service.faults?.highestGlibc?.description == "GLIBC_2.34")
    }

    /// The line-by-line path (standard input, each line's envelope decided alone) counts the
    /// faults and dumps as the fast paths do.
    @Test(arguments: ["kubectl/payments.log"])
    func lineByLineCountsAsTheFastPath(_ file: String) throws {
        let data = [UInt8](try Data(contentsOf: Self.root.appendingPathComponent(file)))
        var source = InputMemorySource(data)
        let (perLine, error) = Analyzer().analyze(&source, source: SourceContext(path: "-"), mode: .perLine)
        #expect(error == nil)
        let (fast, _) = Self.report(file)
        // The samples' file names differ ("-" and the path): counts and verdicts only.
        func counts(_ r: AuditReport) -> [String] {
            r.services.map {
                let f = $0.faults ?? FaultTally()
                return "\($0.name) \(f.byKind.byRawValue) \(f.getaddrinfoGoroutines) \(f.goResolverGoroutines) \(f.highestGlibc?.description ?? "-") \($0.verdict)"
            }
        }
        #expect(counts(AuditReport(perLine)) == counts(fast))
    }

    /// A docker json-file record whose message holds escapes (quotes, tabs, `\/`) is triaged on
    /// its escaped text when it is not near a trace or failure: its faults and goroutine dumps
    /// still count exactly as in the same messages in CRI files and as plain text, past the
    /// first lines (held for the envelope vote) and in records long after them.
    @Test(arguments: [false, true])
    func dockerRecordsWithEscapesShowTheirFaults(escapingSlashes: Bool) throws {
        let raw = ["go127-x509-unknown-authority.log", "go119-x509-unknown-authority.log", "go127-cgo-sigquit.log",
                   "runc-exec-not-found.log", "go127-unknown-time-zone.log", "go-fork-exec-not-found.log"]
        let ordinary = (0..<100).map { "level=info msg=\"request served\" path=\"/api/v\($0)\" status=200" }
        var messages = ordinary
        for name in raw {
            let text = try String(contentsOf: Self.root.appendingPathComponent("raw/\(name)"), encoding: .utf8)
            messages += text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            messages += ordinary
        }
        struct Record: Encodable { var log: String; var stream: String; var time: String }
        let encoder = JSONEncoder()
        encoder.outputFormatting = escapingSlashes ? [] : [.withoutEscapingSlashes]
        var docker = Data()
        var cri = ""
        for (i, m) in messages.enumerated() {
            let time = String(format: "2026-12-01T14:%02d:%02d.%09dZ", (i / 60) % 60, i % 60, i)
            docker += try encoder.encode(Record(log: m + "\n", stream: "stderr", time: time)) + Data("\n".utf8)
            cri += "\(time) stderr F \(m)\n"
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("docker-escapes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = ["app-json.log": docker, "app-cri.log": Data(cri.utf8), "app-plain.log": Data((messages.joined(separator: "\n") + "\n").utf8)]
        var tallies: [String: String] = [:]
        for (name, bytes) in files {
            let url = dir.appendingPathComponent(name)
            try bytes.write(to: url)
            for jobs in [1, 2] {
                let result = Analyzer(options: AnalyzerOptions(jobs: jobs)).analyze([.path(url.path)])
                #expect(result.errors.isEmpty)
                let faults = AuditReport(result.summary).services.reduce(into: FaultTally()) { $0.merge($1.faults ?? FaultTally()) }
                tallies["\(name) jobs \(jobs)"] = faults.byKind.byRawValue.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                    + ", getaddrinfo goroutines \(faults.getaddrinfoGoroutines)"
            }
        }
        let plain = try #require(tallies["app-plain.log jobs 1"])
        #expect(plain == "ca-certificates-missing 8, cgo-resolver-stack 1, exec-not-found 3, tzdata-missing 2, getaddrinfo goroutines 5")
        for (key, tally) in tallies { #expect(tally == plain, "\(key)") }
    }

    /// `netdns_find_fault_text` finds the first anywhere-text that starts and ends in the
    /// haystack, as a naive search does.
    @Test func findFaultTextAgreesWithANaiveSearch() {
        var random = SplitMix64(seed: 13)
        let needles = FaultRecognizer.anywhereNeedles.map { Array($0.description.utf8) }
        let alphabet = Array(Set(needles.joined() + Array("xz5 ".utf8)))
        var mismatches: [String] = []
        var foundTexts = 0
        for trial in 0..<3000 {
            let n = random.below(200)
            var hay = (0..<n).map { _ in alphabet[random.below(alphabet.count)] }
            let needle = needles[trial % needles.count]
            if trial % 2 == 0, n >= needle.count {
                let at = random.below(n - needle.count + 1)
                hay.replaceSubrange(at..<at + needle.count, with: needle)
            }
            let expected = hay.indices.first { i in
                needles.contains { i + $0.count <= hay.count && Array(hay[i..<i + $0.count]) == $0 }
            }
            if expected != nil { foundTexts += 1 }
            let found: Int? = hay.withUnsafeBytes { h in
                netdns_find_fault_text(h.baseAddress, h.count).map { h.baseAddress!.distance(to: $0) }
            }
            if found != expected { mismatches.append("trial \(trial): \(String(decoding: hay, as: UTF8.self)) \(String(describing: found)) \(String(describing: expected))") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(3))")
        #expect(foundTexts > 1000)
    }
}

/// `check` and faults: by default a fault that kept the program from running is a violation;
/// `--fail-on-fault` (policy key `failOnFault`) changes the kinds.
@Suite struct FaultCheckTests {
    static func findings(_ policy: CheckPolicy) -> [String] {
        let (report, _) = FaultFixtureTests.report("kubectl")
        return policy.evaluate(report).services.flatMap(\.findings).filter { $0.rule == .fault }
            .map { "\($0.service) \($0.message.prefix { $0 != " " })" }.sorted()
    }

    @Test func startFaultsViolateByDefault() {
        #expect(Self.findings(CheckPolicy()) == [
            "fx-rates exec-format", "ledger-api exec-not-found", "payouts exec-not-found",
            "report-gen glibc-version", "tax-calc shared-library-missing",
        ])
    }

    @Test func theKindsAreChosen() throws {
        var policy = CheckPolicy()
        policy.failOnFault = [.caCertificatesMissing, .cgoResolverStack]
        #expect(Self.findings(policy) == ["partner-gateway cgo-resolver-stack", "webhook-sender ca-certificates-missing"])
        policy.failOnFault = []
        #expect(Self.findings(policy).isEmpty)
        let file = try CheckPolicy.decode(Data(#"{"failOnFault": ["glibc-version"]}"#.utf8))
        #expect(Self.findings(file) == ["report-gen glibc-version"])
        #expect(throws: PolicyFileError.self) { try CheckPolicy.decode(Data(#"{"failOnFault": ["nope"]}"#.utf8)) }
    }

    /// The finding's evidence is the fault's first line, with its file and line.
    @Test func theFindingNamesTheFirstLine() throws {
        let (report, _) = FaultFixtureTests.report("kubectl")
        let finding = try #require(CheckPolicy().evaluate(report).services.flatMap(\.findings).first { $0.service == "report-gen" && $0.rule == .fault })
        #expect(finding.evidence.hasSuffix("version `GLIBC_2.32' not found (required by /usr/local/bin/report-gen)"))
        #expect(finding.location?.line == 8)
        #expect(finding.message.contains("needs GLIBC_2.34"))
    }

    /// Part 2: a cgo service says why and what to change; the JSON report carries it.
    @Test func causeAndAdviceInTheReport() throws {
        let (report, _) = FaultFixtureTests.report("docker")
        let probe = try #require(report.services.first { $0.name == "dns-probe" })
        #expect(probe.verdict == .cgo)
        let cause = try #require(probe.cause)
        #expect(cause.contains { $0.hasPrefix("'dynamic selection' with every lookup cgo: the system configuration") })
        #expect(cause.contains { $0.contains("3 goroutine(s) waiting in libc's getaddrinfo") })
        #expect(probe.advice?.first?.hasPrefix("now: GODEBUG=netdns=go") == true)
        let legacy = try #require(report.services.first { $0.name == "legacy-resolver" })
        #expect(legacy.cause?.contains { $0.hasPrefix("the thread limit was exceeded next to cgo lookups") } == true)
        let sync = try #require(report.services.first { $0.name == "sync" })
        #expect(sync.verdict == .pureGo && sync.cause == nil)
        let cron = try #require(report.services.first { $0.name == "cron-eu" })
        #expect(cron.advice == ["tzdata-missing: \(FaultKind.tzdataMissing.advice)"])
        // Saved and read back, the report is the same; a report without the new keys still reads.
        let data = try report.jsonData()
        #expect(try AuditReport.decode(data) == report)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains(#""faults" : {"#) && json.contains(#""cause" : ["#))
    }
}

/// Fault lines are text from logs: every output shows them without terminal controls.
@Suite struct HostileFaultTextTests {
    @Test func faultSamplesAreEscapedInTheTableAndMarkdown() throws {
        let text = "[pod/hook-7d9f8b6c5-x2k4p/hook] Get \"https://h\": x509: certificate signed by unknown authority \u{1B}]0;pwned\u{07}\u{9B}2J|`\n"
            + "[pod/hook-7d9f8b6c5-x2k4p/hook] unknown time zone Europe/\u{1B}[2JBerlin\n"
        let report = AuditReport(analyze(text, path: nil, mode: .perLine))
        let hook = try #require(report.services.first)
        #expect(hook.faults?.byKind.byRawValue == ["ca-certificates-missing": 1, "tzdata-missing": 1])
        let table = TableRenderer(colour: false).render(report)
        #expect(!table.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
        #expect(table.contains("authority \\x1b]0;pwned\\x07\\x9b2J|`"))
        let markdown = MarkdownRenderer().render(report)
        #expect(!markdown.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
        #expect(markdown.contains(#"\x1b]0;pwned\x07\x9b2J|"#))
    }
}

/// Summaries of disjoint inputs merge into the summary of both, faults included, and a saved
/// report read back by `merge` keeps them.
@Suite struct FaultMergeTests {
    @Test func faultsMergeLikeEveryCounter() throws {
        let a = Analyzer().analyze([.path(FaultFixtureTests.root.appendingPathComponent("kubectl").path)]).summary
        let b = Analyzer().analyze([.path(FaultFixtureTests.root.appendingPathComponent("docker").path)]).summary
        let both = Analyzer().analyze([.path(FaultFixtureTests.root.appendingPathComponent("kubectl").path),
                                        .path(FaultFixtureTests.root.appendingPathComponent("docker").path)]).summary
        let merged = a.merging(b)
        #expect(merged.instances.mapValues(\.faults) == both.instances.mapValues(\.faults))
        let report = AuditReport(merged)
        let decoded = try AuditReport.decode(try report.jsonData())
        #expect(decoded.services.map(\.faults) == report.services.map(\.faults))
        #expect(decoded.services.map(\.cause) == report.services.map(\.cause))
    }

    @Test func firstSampleAndHighestVersionMergeOrderFree() {
        var x = FaultTally(), y = FaultTally()
        x.note(.glibcVersion, sample: EvidenceSample(text: "b", file: "f", line: 9))
        x.noteGlibc(GlibcSymbolVersion("GLIBC_2.32")!)
        y.note(.glibcVersion, sample: EvidenceSample(text: "a", file: "f", line: 3))
        y.noteGlibc(GlibcSymbolVersion("GLIBC_2.34")!)
        var xy = x, yx = y
        xy.merge(y)
        yx.merge(x)
        #expect(xy == yx)
        #expect(xy.byKind[.glibcVersion] == 2)
        #expect(xy.first[.glibcVersion]?.line == 3)
        #expect(xy.highestGlibc?.description == "GLIBC_2.34")
    }
}
