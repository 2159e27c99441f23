import Foundation
import Testing
@testable import NetDNSAudit

/// Leading NUL runs (copytruncate holes) are read as text; a file skipped as binary is said
/// on stderr and in every output, and `check --on-skipped fail|warn` decides what it means.
@Suite struct SkippedInputTests {
    typealias Support = InputTestSupport

    static let dnsLine = "lookup db.example on 10.0.0.10:53: no such host\n"

    /// `copytruncate` then a write at the old offset: a sparse run of NULs, then log lines.
    @Test(arguments: [1, 8191, 8192, 20_000, 3 << 20])
    func aLogStartingWithANULRunIsReadAsText(hole: Int) throws {
        let dir = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let body = Array((Self.dnsLine + "an ordinary line\n").utf8)
        try Support.write([UInt8](repeating: 0, count: hole) + body, to: dir.appendingPathComponent("app.log"))
        try Support.write(Support.gzip([UInt8](repeating: 0, count: hole) + body), to: dir.appendingPathComponent("old.log.gz"))
        let result = Analyzer().analyze([.path(dir.path)])
        #expect(result.errors.isEmpty)
        #expect(result.summary.totals.binaryFilesSkipped == [])
        #expect(result.summary.totals.files == 2)
        #expect(result.summary.totals.lines == 4)
        #expect(result.summary.totals.failures == 2)
        #expect(result.summary.totals.ordinaryLines == 2)
        #expect(result.summary.totals.bytes == 2 * (hole + body.count))
    }

    /// A file of NULs only is an empty log (a hole not yet written after), not a binary.
    @Test func aFileOfNULsOnlyIsAnEmptyLog() throws {
        let dir = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Support.write([UInt8](repeating: 0, count: 100_000), to: dir.appendingPathComponent("app.log"))
        let result = Analyzer().analyze([.path(dir.path)])
        #expect(result.summary.totals.binaryFilesSkipped == [])
        #expect(result.summary.totals.lines == 0)
        #expect(result.summary.totals.bytes == 100_000)
    }

    /// A NUL run after the start is still judged as before: an executable stays binary.
    @Test func anExecutableIsStillBinary() {
        #expect(InputContent.classify(BinaryAndRotationInputTests.elfLikeBytes(9000)) == .binary)
    }

    static func report(skipping paths: [String]) -> AuditReport {
        var summary = AuditSummary()
        summary.totals.binaryFilesSkipped = paths
        return AuditReport(summary)
    }

    @Test func aSkippedInputIsAWarningByDefaultAndAViolationWithFail() throws {
        let report = Self.report(skipping: ["logs/a.out"])
        // Only a binary file: the input shows no service, which violates no-input (#14 item 7).
        let empty = CheckPolicy().evaluate(report)
        #expect(empty.violations.map(\.rule) == [.noInput])
        #expect(empty.verdictLine == "check failed: 1 violation (no-input: the input shows no service); 0 services (1 warning, 1 input skipped as binary)")
        // With an empty input allowed, the skipped file alone decides.
        let warned = CheckPolicy(allowEmptyInput: true).evaluate(report)
        #expect(warned.passed)
        #expect(warned.warnings.map(\.rule) == [.skippedInput])
        #expect(warned.warnings.first?.location == FindingLocation(file: "logs/a.out"))
        #expect(warned.verdictLine == "check passed: 0 services (1 warning, 1 input skipped as binary)")
        let failed = CheckPolicy(onSkipped: .fail, allowEmptyInput: true).evaluate(report)
        #expect(!failed.passed)
        #expect(failed.violations.map(\.service) == ["logs/a.out"])
        #expect(failed.verdictLine == "check failed: 1 violation; 0 services (1 input skipped as binary)")
        let fromFile = try CheckPolicy.decode(Data(#"{"onSkipped": "fail"}"#.utf8))
        #expect(fromFile.onSkipped == .fail)
        #expect(throws: PolicyFileError.self) { try CheckPolicy.decode(Data(#"{"onSkipped": "pass"}"#.utf8)) }
    }
}

/// The commands: stderr, table, Markdown, JSON, check and its CI files all say a file was skipped.
@Suite struct SkippedInputCommandTests {
    let exit = CheckCommandExitTests()

    func tree() throws -> URL {
        let dir = try InputTestSupport.temporaryDirectory()
        try InputTestSupport.write(Array(SkippedInputTests.dnsLine.utf8), to: dir.appendingPathComponent("app.log"))
        try InputTestSupport.write(BinaryAndRotationInputTests.elfLikeBytes(5000), to: dir.appendingPathComponent("tool"))
        return dir
    }

    @Test func everyOutputSaysAFileWasSkipped() throws {
        let dir = try tree()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tool = dir.appendingPathComponent("tool").path
        let stderrLine = "netdns-audit: \(tool): skipped as binary (not a log), not analysed\n"
        let table = try exit.run(["analyze", dir.path])
        #expect(table.status == 0)
        #expect(table.stderr == stderrLine)
        #expect(table.stdout.contains(", 1 skipped as binary\n"))
        let markdown = try exit.run(["analyze", "--format", "markdown", dir.path])
        #expect(markdown.stderr == stderrLine)
        #expect(markdown.stdout.hasSuffix("1 DNS failures, 1 skipped as binary.\n"))
        let json = try exit.run(["analyze", "--format", "json", dir.path])
        let report = try AuditReport.decode(Data(json.stdout.utf8))
        #expect(report.totals.binaryFilesSkipped == [tool])
        #expect(json.stderr == stderrLine)
    }

    @Test func checkWarnsByDefaultAndFailsWithOnSkippedFail() throws {
        let dir = try tree()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tool = dir.appendingPathComponent("tool").path
        let warned = try exit.run(["check", dir.path])
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("\(tool): skipped as binary"))
        #expect(warned.stdout.contains("warning: \(tool): skipped-input: "))
        #expect(warned.stdout.hasSuffix("check passed: 1 service (1 warning, 1 input skipped as binary)\n"))

        let junit = exit.temporaryPath("junit.xml"), sarif = exit.temporaryPath("sarif.json")
        defer { try? FileManager.default.removeItem(atPath: junit); try? FileManager.default.removeItem(atPath: sarif) }
        let failed = try exit.run(["check", "--on-skipped", "fail", "--github", "--junit", junit, "--sarif", sarif, dir.path])
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("violation: \(tool): skipped-input: "))
        #expect(failed.stdout.contains("::error file=\(tool),title=netdns-audit skipped-input"))
        #expect(failed.stdout.contains("check failed: 1 violation; 1 service (1 input skipped as binary)\n"))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("tests=\"2\" failures=\"1\""))
        #expect(xml.contains("<testcase classname=\"netdns-audit.input\" name=\"\(tool)\""))
        let sarifText = try String(contentsOfFile: sarif, encoding: .utf8)
        #expect(sarifText.contains("\"ruleId\" : \"skipped-input\""))

        let bad = try exit.run(["check", "--on-skipped", "maybe", dir.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--on-skipped must be fail or warn, not 'maybe'"))
    }
}
