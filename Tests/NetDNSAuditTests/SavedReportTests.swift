import Foundation
import Testing
@testable import NetDNSAudit
@testable import netdns_audit

/// The saved-report wire schema and its one reader: reports frozen from an earlier main still
/// read the same; every number is validated; unknown keys are ignored, unknown values refused;
/// json-line and concatenated streams; memory bounded by the output.
@Suite struct SavedReportTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let frozen = root.appendingPathComponent("Tests/NetDNSAuditTests/Fixtures/FrozenReports/v1")

    static func frozenFile(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: frozen.appendingPathComponent(name))) }

    static func read(_ text: String, reader: SavedReportReader = SavedReportReader()) throws(SavedReportError) -> [SavedReport] {
        var out: [SavedReport] = []
        try reader.read(bytes: Array(text.utf8), name: "r.json") { out.append($0) }
        return out
    }

    static func problem(_ text: String) -> String? {
        do {
            _ = try read(text)
            return nil
        } catch {
            return error.problem
        }
    }

    /// A minimal valid report around one instance's counters.
    static func report(counters: String = #""identity": {"service": "api", "name": "api-1"}, "lines": 3"#,
                       totals: String = #""lines": 3, "ordinaryLines": 3"#, version: Int = 2, extra: String = "") -> String {
        #"{"schemaVersion": \#(version),\#(extra) "totals": {\#(totals)}, "services": [{"instances": [{"counters": {\#(counters)}}]}]}"#
    }

    // MARK: Frozen reports of main before the wire schema

    static let frozenNames = [
        "SampleLogs.json", "SampleLogs-by-instance.json", "compose.log.json", "cri.json", "docker.json",
        "failure-heavy-outage.log.json", "invoice-pdf.log.json", "journald.log.json", "kubectl-billing-timestamps.log.json",
        "kubectl-shop.log.json", "merge-shop-search.json", "search-api.log.json", "stern.log.json",
    ]

    /// The keys added within a schema version since the reports were frozen (docs/reports.md,
    /// "Keys added within a version"): a rewritten frozen report may hold them, and nothing else new.
    static let keysAddedSinceFrozen: Set<String> = ["cause", "advice", "faults", "cgoLookupNames"]

    /// Each frozen v1 report reads, and written again it is the same document but for
    /// `schemaVersion`, the timestamps in `counters` (now decimal strings) and the keys added
    /// since (``keysAddedSinceFrozen``).
    @Test(arguments: frozenNames)
    func frozenReportReadsAndRewritesTheSame(_ name: String) throws {
        let bytes = try Self.frozenFile(name)
        let reports = try Self.read(String(decoding: bytes, as: UTF8.self))
        #expect(reports.count == 1)
        let report = AuditReport(reports[0].summary, tool: reports[0].tool ?? "")
        let rewritten = try report.jsonData()
        func normalised(_ data: [UInt8]) throws -> NSDictionary {
            func walk(_ v: Any, key: String?) -> Any {
                if let d = v as? [String: Any] {
                    var out: [String: Any] = [:]
                    for (k, x) in d where k != "schemaVersion" && !Self.keysAddedSinceFrozen.contains(k) { out[k] = walk(x, key: k) }
                    return out
                }
                if let a = v as? [Any] { return a.map { walk($0, key: nil) } }
                if let s = v as? String, key == "firstSeen" || key == "lastSeen", let n = Int64(s) { return NSNumber(value: n) }
                return v
            }
            let object = try JSONSerialization.jsonObject(with: Data(data))
            return try #require(walk(object, key: nil) as? NSDictionary)
        }
        #expect(try normalised(Array(rewritten)) == normalised(bytes))
        let root = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(root["schemaVersion"] as? Int == 1)
        let totals = try #require(root["totals"] as? [String: Any])
        #expect(report.totals.lines == totals["lines"] as? Int)
        #expect(report.totals.bytes == totals["bytes"] as? Int)
        #expect(report.totals.failures == totals["failures"] as? Int)
    }

    /// The frozen fleet stream (json-line, four reports) and the frozen merges read as merge
    /// read them then, to the same table (frozen too).
    @Test func frozenStreamsAndTable() throws {
        let fleet = try Self.read(String(decoding: try Self.frozenFile("fleet.jsonl"), as: UTF8.self))
        #expect(fleet.count == 4)
        let pair = try Self.read(String(decoding: try Self.frozenFile("merge-shop-search.jsonl"), as: UTF8.self))
        #expect(pair.count == 1)
        let separate = try ["kubectl-shop.log.json", "search-api.log.json"].flatMap { try Self.read(String(decoding: try Self.frozenFile($0), as: UTF8.self)) }
        var merged = AuditSummary()
        for r in separate { merged.merge(r.summary) }
        #expect(merged == pair[0].summary)
        // The frozen table of the whole set, from the rebuilt report: every frozen row starts its
        // row (columns added since, such as FAULTS, come after), and the frozen footer lines
        // follow in the same order (lines added since, such as why/change, come between).
        let whole = try Self.read(String(decoding: try Self.frozenFile("SampleLogs.json"), as: UTF8.self))[0]
        let table = try String(contentsOf: Self.frozen.appendingPathComponent("SampleLogs.table.txt"), encoding: .utf8)
        let frozenLines = table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let now = TableRenderer(colour: false, grouping: .service).render(AuditReport(whole.summary))
        let nowLines = now.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let rows = try #require(frozenLines.firstIndex(of: ""))
        #expect(rows == 22)
        for i in 0..<rows { #expect(nowLines[i].hasPrefix(frozenLines[i]), "row \(i): \(nowLines[i])") }
        var next = rows
        for line in frozenLines[rows...] {
            guard let found = nowLines[next...].firstIndex(of: line) else {
                Issue.record("frozen footer line missing or out of order: \(line)")
                break
            }
            next = found + 1
        }
        let root = try #require(try JSONSerialization.jsonObject(with: Data(try Self.frozenFile("SampleLogs.json"))) as? [String: Any])
        let services = try #require(root["services"] as? [[String: Any]])
        let instances = services.flatMap { ($0["instances"] as? [Any]) ?? [] }
        #expect(whole.summary.instances.count == instances.count)
        #expect(instances.count > 10)
    }

    // MARK: Numbers

    @Test func everyNumberIsValidatedAndNamed() {
        let at = "services[0].instances[0].counters"
        let cases: [(String, String)] = [
            (Self.report(counters: #""identity": {"service": "a", "name": "b"}, "lines": -50"#),
             "\(at).lines: -50 is negative (counts are 0 or more)"),
            (Self.report(counters: #""identity": {"service": "a", "name": "b"}, "lines": 9223372036854775807"#),
             "\(at).lines: 9223372036854775807 is more than a report may count (at most 2^53 - 1 = 9007199254740991)"),
            (Self.report(counters: #""identity": {"service": "a", "name": "b"}, "lines": 99999999999999999999"#),
             "\(at).lines: 99999999999999999999 is out of range (beyond -9223372036854775808...9223372036854775807)"),
            (Self.report(counters: #""identity": {"service": "a", "name": "b"}, "lines": 1.5"#), "\(at).lines: 1.5 is not a whole number"),
            (Self.report(counters: #""identity": {"service": "a", "name": "b"}, "lines": 1e400"#),
             "\(at).lines: 1e400 has an exponent: write whole numbers in plain digits (such as 42)"),
            (Self.report(counters: #""identity": {"service": "a", "name": "b"}, "lines": "3""#), "\(at).lines: expected a whole number, found a string"),
            (Self.report(counters: #""identity": {"service": "a", "name": "b"}, "decisions": {"cgo-build": -1}"#),
             "\(at).decisions.cgo-build: -1 is negative (counts are 0 or more)"),
            (Self.report(counters: #""identity": {"service": "a", "name": "b"}, "failures": {"serverNamed": {"timeout": -2}}"#),
             "\(at).failures.serverNamed.timeout: -2 is negative (counts are 0 or more)"),
            (Self.report(counters: #""identity": {"service": "a", "name": "b"}, "failingNames": {"counts": {"x.example": -1}}"#),
             "\(at).failingNames.counts[\"x.example\"]: -1 is negative (counts are 0 or more)"),
            (Self.report(counters: #""identity": {"service": "a", "name": "b"}, "debugLevel": 7"#), "\(at).debugLevel: 7 is not a debug level (0, 1 or 2)"),
            (Self.report(totals: #""lines": 3, "ordinaryLines": 2"#),
             "totals.lines: lines is 3 but its buckets (recognisedTraceLines, unrecognisedTraceLines, tornLines, failureLines, ordinaryLines, overlongLines, continuationLines, binaryLines) add up to 2"),
            (Self.report(counters: #""identity": {"service": "a", "name": "b"}, "lines": 35"#, totals: #""lines": 11, "ordinaryLines": 11"#),
             "services: the instances' lines (35) and the unattributed lines (0) add up to more than totals.lines (11)"),
            (Self.report(totals: #""lines": 3, "failureLines": 3, "failures": 2"#),
             "totals.failures: failures (2 mentions) is less than failureLines (3 lines with one at least)"),
            (Self.report(counters: #""identity": {"service": "a", "name": "b"}, "firstSeen": "20", "lastSeen": "10""#),
             "\(at): firstSeen (20) is after lastSeen (10)"),
            (Self.report(counters: #""identity": {"service": "a", "name": "b"}, "firstSeen": "x", "lastSeen": "10""#),
             "\(at).firstSeen: 'x' is not nanoseconds since 1970 in decimal digits"),
        ]
        for (text, expected) in cases { #expect(Self.problem(text) == expected) }
    }

    /// The issue's case: a negative CGO count once flipped a verdict and a failing check into a
    /// passing one; two reports whose sums overflow once trapped.
    @Test func sumsAreCheckedAcrossReports() throws {
        // Each report counts 2^52 (lines and their bucket), two of them 2^53.
        let half = 1 << 51
        let one = Self.report(totals: #""lines": \#(half), "ordinaryLines": \#(half)"#)
        let reader = SavedReportReader()
        #expect(try Self.read(one, reader: reader).count == 1)
        do {
            _ = try Self.read(one, reader: reader)
            Issue.record("the second report was accepted")
        } catch {
            #expect(error.problem.hasPrefix("totals.ordinaryLines: the counts read add up to more than 2^53 - 1"))
        }
        // Int64.max in two reports: refused, never a trap.
        let max = Self.report(totals: #""lines": 9223372036854775807, "ordinaryLines": 9223372036854775807"#)
        #expect(Self.problem(max)?.contains("is more than a report may count") == true)
    }

    // MARK: Keys

    @Test func unknownKeysAreIgnoredMissingOnesDefault() throws {
        let text = Self.report(
            counters: #""identity": {"service": "api", "name": "api-1", "future": 1}, "lines": 3, "later": {"a": [1, {"b": null}]}, "decisions": {"cgo-build": 1}, "namespace": null"#,
            extra: #" "generatedBy": {"x": [true, false, null, 1.5e3, "\u00e9\ud83d\ude00"]},"#)
        let r = try Self.read(text)
        let instance = try #require(r.first?.summary.instances.values.first)
        #expect(instance.lines == 3)
        #expect(instance.decisions[.cgoBuild] == 1)
        #expect(instance.traceLines == 0 && instance.failures.total == 0 && instance.files.isEmpty)
        #expect(AuditReport(r[0].summary).services[0].verdict == .cgo)
    }

    @Test func unknownValuesAndBrokenShapesAreRefused() {
        let at = "services[0].instances[0].counters"
        let cases: [(String, String)] = [
            (Self.report(counters: #""identity": {"service": "a", "name": "b"}, "failures": {"libcText": {"weird": 1}}"#),
             "\(at).failures.libcText: unknown failure class 'weird'"),
            (Self.report(counters: #""identity": {"service": "a", "name": "b"}, "decisions": {"maybe": 1}"#), "\(at).decisions: unknown decision 'maybe'"),
            (Self.report(counters: #""identity": {"service": "a", "name": "b"}, "libc": ["bionic"]"#),
             "\(at).libc[0]: unknown libc 'bionic' (this version knows \(Libc.allCases.map(\.rawValue).joined(separator: ", ")))"),
            (Self.report(counters: #""identity": {"service": "a", "name": "b"}, "lines": 1, "lines": 2"#), "\(at).lines: the key appears twice"),
            (Self.report(counters: #""lines": 3"#), "\(at): no identity key"),
            (Self.report(counters: #""identity": {"name": "b"}"#), "\(at).identity: no service key"),
            (#"{"schemaVersion": 2, "totals": {}, "services": [{"instances": [{"verdict": "cgo"}]}]}"#, "services[0].instances[0]: an instance without its counters"),
            (#"{"schemaVersion": 2, "services": []}"#, "no totals key (after byte 36)"),
            (#"{"totals": {}, "services": []}"#, "no schemaVersion key (after byte 30)"),
            (#"[1]"#, "not a netdns-audit JSON report: '[' at byte 1 where a report should start"),
            ("", "no report found (empty input)"),
            (#"{"schemaVersion": 2, "tot"#, "truncated: the input ends inside a report (after 25 bytes)"),
        ]
        for (text, expected) in cases { #expect(Self.problem(text) == expected, "\(text)") }
    }

    // MARK: Streams

    @Test func streamsOfReports() throws {
        let one = Self.report()
        let pretty = String(decoding: try AuditReport(try Self.read(one)[0].summary).jsonData(), as: UTF8.self)
        #expect(try Self.read("\u{FEFF}" + pretty + pretty + "\n" + one + "\n\t" + one).count == 4)
        #expect(Self.problem(one + " x") == "report 2: not a netdns-audit JSON report: 'x' at byte \(one.utf8.count + 2) where a report should start")
        #expect(Self.problem(one + one.replacingOccurrences(of: "\"lines\": 3}", with: "\"lines\": -3}"))
            == "report 2: services[0].instances[0].counters.lines: -3 is negative (counts are 0 or more)")
        #expect(Self.problem(#"{"schemaVersion": 9}"#) == "schemaVersion 9 is not supported (this version reads 1 to 2; a newer netdns-audit wrote it?)")
    }

    // MARK: Writing

    /// Every integer the report writes stays within 2^53 (JavaScript, jq): timestamps in
    /// counters are strings, and read back exactly.
    @Test func writtenIntegersRoundTripInJavaScript() throws {
        var s = InstanceSummary(identity: InstanceIdentity(service: "api", name: "api-1"))
        s.lines = 1
        s.noteTimestamp(1_795_169_105_001_406_047)
        s.noteTimestamp(1_795_169_106_131_571_047)
        var summary = AuditSummary()
        summary.totals.lines = 1
        summary.totals.ordinaryLines = 1
        summary.add(s)
        let data = try AuditReport(summary).jsonData()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""firstSeen" : "1795169105001406047""#))
        for match in text.matches(of: /:\s*(-?[0-9]+)\s*[,\n}]/) {
            let n = try #require(Int64(match.1))
            #expect(abs(n) < (1 << 53), "\(n)")
        }
        let back = try AuditReport.decode(data)
        #expect(back.summary == summary)
    }

    /// Every field of the working structs has its key in the wire types (a new counter must be
    /// added to the schema on purpose, not picked up by accident or lost).
    @Test func wireTypesCoverTheWorkingStructs() {
        let totals = Set(Mirror(reflecting: InputTotals()).children.compactMap(\.label))
        let wireTotals = Set(Mirror(reflecting: WireTotals()).children.compactMap(\.label))
        #expect(totals.subtracting(wireTotals).isEmpty, "InputTotals fields missing from WireTotals: \(totals.subtracting(wireTotals))")
        let instance = InstanceSummary(identity: InstanceIdentity(service: "a", name: "b"))
        let fields = Set(Mirror(reflecting: instance).children.compactMap(\.label))
        let wire = Set(Mirror(reflecting: WireCounters(instance)).children.compactMap(\.label))
        #expect(fields.subtracting(wire).isEmpty, "InstanceSummary fields missing from WireCounters: \(fields.subtracting(wire))")
    }
}
