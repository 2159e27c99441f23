import Foundation
import Testing

/// `merge` and `check --summary` read saved reports through the same reader: the same inputs
/// (`-`, json-line, concatenated), the same refusals; and memory follows the output.
@Suite struct SavedReportCommandTests {
    static let frozen = SavedReportTests.frozen

    struct Run { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ arguments: [String], stdin: Data? = nil) throws -> Run {
        let process = Process()
        let exe: URL = try #require(CheckCommandExitTests.executable)
        process.executableURL = exe
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["GITHUB_ACTIONS"] = nil
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(stdin)
            try input.fileHandleForWriting.close()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    static func temporary(_ text: String, _ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("saved-\(UUID().uuidString)-\(name)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func checkSummaryReadsWhatMergeReads() throws {
        let fleet = Self.frozen.appendingPathComponent("fleet.jsonl").path
        let shop = Self.frozen.appendingPathComponent("kubectl-shop.log.json").path
        // json-line, concatenated, and standard input: check sees the same services merge does.
        let merged = try Self.run(["merge", fleet, shop, "--format", "json"])
        #expect(merged.status == 0)
        let viaMerge = try Self.run(["check", "--summary", "-"], stdin: Data(merged.stdout.utf8))
        let direct = try Self.run(["check", "--summary", fleet, "--summary", shop])
        #expect(viaMerge.stdout == direct.stdout)
        #expect(direct.stdout.contains("check failed"))
        #expect(direct.status == 1)
        let both = try String(contentsOfFile: fleet, encoding: .utf8) + (try String(contentsOfFile: shop, encoding: .utf8))
        let concatenated = try Self.run(["check", "--summary", "-"], stdin: Data(both.utf8))
        #expect(concatenated.stdout == direct.stdout)
        // Standard input once only.
        let twice = try Self.run(["check", "-", "--summary", "-"])
        #expect(twice.status == 2)
        #expect(twice.stderr == "netdns-audit: standard input (-) can be read only once (see netdns-audit check --help)\n")
    }

    /// A negative CGO count once turned a failing check into a passing one; now both commands
    /// refuse the report with its name and field, exit 2.
    @Test func hostileCountsAreRefusedTheSameByBoth() throws {
        let original = try String(contentsOf: Self.frozen.appendingPathComponent("kubectl-shop.log.json"), encoding: .utf8)
        let hostile = original.replacingOccurrences(of: "\"traceLines\" : ", with: "\"traceLines\" : -")
        let path = try Self.temporary(hostile, "negative.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let merge = try Self.run(["merge", path])
        let check = try Self.run(["check", "--summary", path])
        #expect(merge.status == 2 && check.status == 2)
        #expect(merge.stdout.isEmpty)
        let line = merge.stderr
        #expect(line.hasPrefix("netdns-audit: \(path): services["), "\(line)")
        #expect(line.contains("].counters.traceLines: -"), "\(line)")
        #expect(line.hasSuffix(" is negative (counts are 0 or more)\n"))
        #expect(check.stderr.hasPrefix(line))
        #expect(check.stdout.contains("check incomplete: "))
        #expect(!check.stdout.contains("check passed"))
    }

    /// Two reports whose sums overflow Int64 once trapped merge and check.
    @Test func overflowingReportsAreRefusedNotTrapped() throws {
        let big = SavedReportTests.report(totals: #""lines": 9007199254740991, "ordinaryLines": 0, "overlongLines": 9007199254740991"#)
        let path = try Self.temporary(big, "big.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for arguments in [["merge", path, path], ["check", "--summary", path, "--summary", path]] {
            let run = try Self.run(arguments)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stderr.contains("\(path): totals.overlongLines: the counts read add up to more than 2^53 - 1"), "\(run.stderr)")
        }
    }

    /// Merge's memory follows its output: a report with a 64 MiB string in a derived field
    /// (skipped unread) merges in less than the string, where it once needed about five times it.
    @Test func mergeMemoryIsBoundedByItsOutput() throws {
        let original = try String(contentsOf: Self.frozen.appendingPathComponent("stern.log.json"), encoding: .utf8)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("saved-\(UUID().uuidString)-huge.json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let marker = "\"evidence\" : ["
        let at = try #require(original.range(of: marker))
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data(original[..<at.upperBound].utf8) + Data("\"".utf8))
        let chunk = Data(repeating: 0x61, count: 1 << 20)
        for _ in 0..<64 { try handle.write(contentsOf: chunk) }
        try handle.write(contentsOf: Data("\",".utf8) + Data(original[at.upperBound...].utf8))
        try handle.close()
        let exe = try #require(CheckCommandExitTests.executable).path
        let (status, peak) = try Self.runMeasuringPeak([exe, "merge", path, "--format", "json"])
        #expect(status == 0)
        #expect(peak > 0 && peak < 56 << 20, "peak RSS \(peak >> 20) MiB for a 64 MiB string")
        print("merge of a report with a 64 MiB string: peak RSS \(peak >> 20) MiB")
    }

    /// Runs `argv` with output to /dev/null; returns its exit status and its peak RSS, read
    /// from its own /proc/PID/status (VmHWM, monotonic) every few milliseconds while it runs.
    /// (wait4's ru_maxrss would include the test process: Linux carries the high-water mark
    /// over the exec of a vforked child.)
    static func runMeasuringPeak(_ argv: [String]) throws -> (Int32, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var peak = 0
        let status = "/proc/\(process.processIdentifier)/status"
        while process.isRunning {
            if let text = try? String(contentsOfFile: status, encoding: .utf8),
               let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
               let kb = Int(line.split(separator: " ").dropFirst().first ?? "") {
                peak = max(peak, kb * 1024)
            }
            usleep(2_000)
        }
        process.waitUntilExit()
        return (process.terminationStatus, peak)
    }
}
