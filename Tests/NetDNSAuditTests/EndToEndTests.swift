import Foundation
import Testing
@testable import NetDNSAudit

/// Runs the built `netdns-audit` executable the way a user does.
enum BuiltTool {
    /// The repository's root folder.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The executable, built by `swift test` next to the test binary.
    static var executable: URL {
        let beside = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("netdns-audit")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return repositoryRoot.appendingPathComponent(".build/debug/netdns-audit")
    }

    struct Outcome {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    /// Runs the tool in the repository root with `arguments`, feeding `stdin`.
    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        // Files rather than pipes: no threads needed, and nothing blocks on a full pipe.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        let inURL = scratch.appendingPathComponent("stdin")
        try (stdin ?? Data()).write(to: inURL)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let input = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        process.waitUntilExit()
        try out.close(); try err.close(); try input.close()
        let stdoutData = try Data(contentsOf: outURL)
        let stderrData = try Data(contentsOf: errURL)
        return Outcome(status: process.terminationStatus, stdout: stdoutData, stderr: String(decoding: stderrData, as: UTF8.self))
    }
}

@Suite struct EndToEndTests {
    static let expectedFolder = CorpusTruth.fixtures.appendingPathComponent("SampleLogsExpected")

    static var expectedReports: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: expectedFolder.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test func everySampleHasAnExpectedReport() throws {
        let samples = try FileManager.default.contentsOfDirectory(atPath: BuiltTool.repositoryRoot.appendingPathComponent("SampleLogs").path)
        #expect(Set(samples.map { $0 + ".json" } + ["SampleLogs.json"]) == Set(Self.expectedReports))
    }

    @Test(arguments: expectedReports)
    func sampleReportMatchesCheckedInReport(_ expectedName: String) throws {
        let input = expectedName == "SampleLogs.json" ? "SampleLogs/" : "SampleLogs/" + String(expectedName.dropLast(5))
        let outcome = try BuiltTool.run(["analyze", input, "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let expected = try Data(contentsOf: Self.expectedFolder.appendingPathComponent(expectedName))
        #expect(try AuditReport.decode(outcome.stdout) == AuditReport.decode(expected))
        #expect(String(decoding: outcome.stdout, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }

    @Test func standardInputGivesTheSameServicesAsTheFile() throws {
        let data = try Data(contentsOf: BuiltTool.repositoryRoot.appendingPathComponent("SampleLogs/kubectl-shop.log"))
        let fromStdin = try BuiltTool.run(["--format", "json"], stdin: data)
        let fromFile = try BuiltTool.run(["analyze", "SampleLogs/kubectl-shop.log", "--format", "json"])
        #expect(fromStdin.status == 0)
        let a = try AuditReport.decode(fromStdin.stdout), b = try AuditReport.decode(fromFile.stdout)
        #expect(a.services.map(\.name) == b.services.map(\.name))
        #expect(a.services.map(\.failures) == b.services.map(\.failures))
        #expect(a.services.map(\.verdict) == b.services.map(\.verdict))
        #expect(a.totals.lines == b.totals.lines && a.totals.bytes == b.totals.bytes)
    }

    @Test func tableIsTheDefaultAndHasNoColourOffATerminal() throws {
        let outcome = try BuiltTool.run(["SampleLogs/kubectl-shop.log"])
        let text = String(decoding: outcome.stdout, as: UTF8.self)
        #expect(outcome.status == 0)
        #expect(text.hasPrefix("SERVICE"))
        #expect(text.contains("inventory "))
        #expect(!text.contains("\u{1B}["))
    }

    @Test func unreadableInputIsNamedAndTheOthersStillCount() throws {
        let outcome = try BuiltTool.run(["analyze", "does-not-exist.log", "SampleLogs/invoice-pdf.log", "--format", "json"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "netdns-audit: does-not-exist.log: cannot open: No such file or directory\n")
        let report = try AuditReport.decode(outcome.stdout)
        #expect(report.services.map(\.name) == ["invoice-pdf"])
        #expect(report.totals.readErrors == 1)
    }

    @Test func usageErrorsExitTwo() throws {
        let bad = try BuiltTool.run(["--format", "yaml"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--format"))
        let unknown = try BuiltTool.run(["--frobnicate"])
        #expect(unknown.status == 2)
    }

    @Test func helpAndVersion() throws {
        let help = try BuiltTool.run(["--help"])
        #expect(help.status == 0)
        #expect(String(decoding: help.stdout, as: UTF8.self).contains("USAGE"))
        let version = try BuiltTool.run(["--version"])
        #expect(String(decoding: version.stdout, as: UTF8.self) == "netdns-audit \(NetDNSAuditVersion.current)\n")
    }

    @Test func emptyInputIsAnEmptyReport() throws {
        let outcome = try BuiltTool.run(["--format", "json"], stdin: Data())
        #expect(outcome.status == 0)
        let report = try AuditReport.decode(outcome.stdout)
        #expect(report.services.isEmpty)
        #expect(report.totals.lines == 0)
    }

    @Test func watchCheckExitsWithTheChecksCode() throws {
        let data = try Data(contentsOf: BuiltTool.repositoryRoot.appendingPathComponent("SampleLogs/kubectl-shop.log"))
        let failing = try BuiltTool.run(["watch", "--check"], stdin: data)
        #expect(failing.status == 1)
        let text = String(decoding: failing.stdout, as: UTF8.self)
        #expect(text.contains("violation: inventory (instance inventory-6b7c9d8f5-h7j2k): resolver-path"))
        #expect(text.hasSuffix("check failed: 2 violations in 1 of 4 services\n"))
        let allowed = try BuiltTool.run(["watch", "--check", "--allow", "inventory"], stdin: data)
        #expect(allowed.status == 0)
        #expect(String(decoding: allowed.stdout, as: UTF8.self).hasSuffix("check passed: 4 services (1 allowed)\n"))
    }

    @Test func watchPrintsItsFinalReportInEveryFormatAsAnalyzeDoes() throws {
        let data = try Data(contentsOf: BuiltTool.repositoryRoot.appendingPathComponent("SampleLogs/kubectl-shop.log"))
        for format in ["table", "json", "markdown"] {
            let watched = try BuiltTool.run(["watch", "--format", format], stdin: data)
            let analyzed = try BuiltTool.run(["--format", format], stdin: data)
            #expect(watched.status == 0)
            #expect(watched.stdout == analyzed.stdout, "watch --format \(format)")
        }
    }
}
