import Foundation
import Testing

/// Standard output or standard error on a full disk, closed, or read-only: every command says
/// so in one line on standard error (when that can be written) and exits 2; none traps.
@Suite struct WriteFailureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let frozen = root.appendingPathComponent("Tests/NetDNSAuditTests/Fixtures/FrozenReports/v1/stern.log.json").path
    static let log = root.appendingPathComponent("SampleLogs/stern.log").path

    /// Commands that write to standard output.
    static let writers: [[String]] = [
        ["--help"], ["--version"], ["analyze", "--help"], ["check", "--help"], ["watch", "--help"], ["merge", "--help"],
        ["watch", "--version"], ["merge", "--version"], ["check", "--version"],
        ["analyze", log], ["analyze", log, "--format", "json"], ["check", log], ["merge", frozen], ["watch", "-", "--format", "json"],
    ]
    /// Commands that write to standard error (a usage error, an unreadable input).
    static let complainers: [[String]] = [
        ["analyze", "--bogus"], ["check", "--bogus"], ["watch", "--bogus"], ["merge", "--bogus"],
        ["analyze", "/nonexistent"], ["check", "/nonexistent"], ["merge", "/nonexistent"],
    ]

    /// The shell redirection of each broken descriptor.
    static let breakages: [(name: String, redirect: String)] = [("full", ">/dev/full"), ("closed", ">&-"), ("read-only", "</dev/null")]

    struct Run { var status: Int32; var stdout: String; var stderr: String }

    /// Runs the tool with `redirect` applied by `sh`; standard input is empty.
    static func run(_ arguments: [String], redirect: String) throws -> Run {
        let exe = try #require(CheckCommandExitTests.executable)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec \"$0\" \"$@\" \(redirect)", exe.path] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        var env = ProcessInfo.processInfo.environment
        env["GITHUB_ACTIONS"] = nil
        process.environment = env
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    @Test(arguments: writers)
    func brokenStandardOutput(_ arguments: [String]) throws {
        for breakage in Self.breakages {
            let run = try Self.run(arguments, redirect: "1" + breakage.redirect)
            #expect(run.status == 2, "\(arguments) stdout \(breakage.name)")
            let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 2 && lines[1].isEmpty, "\(arguments) stdout \(breakage.name): \(run.stderr)")
            #expect(run.stderr.hasPrefix("netdns-audit: cannot write standard output: "), "\(arguments) \(breakage.name): \(run.stderr)")
        }
    }

    @Test(arguments: complainers)
    func brokenStandardError(_ arguments: [String]) throws {
        for breakage in Self.breakages {
            let run = try Self.run(arguments, redirect: "2" + breakage.redirect)
            #expect(run.status == 2, "\(arguments) stderr \(breakage.name)")
            #expect(run.stderr.isEmpty)
        }
    }

    /// A pipe whose reader has gone (`| head -1`) ends quietly, with 2, without a signal.
    @Test func closedPipeEndsQuietly() throws {
        let big = Self.root.appendingPathComponent("Tests/NetDNSAuditTests/Fixtures/FrozenReports/v1/SampleLogs.json").path
        let process = Process()
        let exe: URL = try #require(CheckCommandExitTests.executable)
        process.executableURL = exe
        process.arguments = ["merge", big, "--format", "json"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try out.fileHandleForReading.close()
        try process.run()
        try out.fileHandleForWriting.close()
        let message = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 2)
        #expect(message.isEmpty)
    }

    @Test func bothBroken() throws {
        for breakage in Self.breakages {
            let run = try Self.run(["analyze", Self.log, "/nonexistent"], redirect: "1" + breakage.redirect + " " + "2" + breakage.redirect)
            #expect(run.status == 2, "\(breakage.name)")
        }
    }

    /// A closed standard output is not reused by the next file opened: the report is not
    /// written into a JUnit file that happens to get descriptor 1.
    @Test func closedStandardOutputIsNotReused() throws {
        let junit = FileManager.default.temporaryDirectory.appendingPathComponent("write-failure-\(UUID().uuidString).xml").path
        defer { try? FileManager.default.removeItem(atPath: junit) }
        let run = try Self.run(["check", Self.log, "--junit", junit], redirect: "1>&-")
        #expect(run.status == 2)
        let written = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(written.hasPrefix("<?xml"))
        #expect(!written.contains("check passed"))
    }

    /// A usage error is found before any input is read: with standard input open and silent,
    /// a bad `--group-by` still ends at once.
    @Test func valuesAreCheckedBeforeInputIsRead() throws {
        let exe = try #require(CheckCommandExitTests.executable)
        for arguments in [["analyze", "--group-by", "pod"], ["watch", "--group-by", "pod"], ["check", "--group-by", "service"], ["watch", "--jobs", "2"]] {
            let process = Process()
            process.executableURL = exe
            process.arguments = arguments
            let input = Pipe(), err = Pipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = err
            try process.run()
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            let finished = !process.isRunning
            if !finished { process.terminate() }
            try input.fileHandleForWriting.close()
            process.waitUntilExit()
            #expect(finished, "\(arguments) waited for its input")
            #expect(process.terminationStatus == 2)
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(message.split(separator: "\n").count == 1, "\(message)")
        }
    }
}
