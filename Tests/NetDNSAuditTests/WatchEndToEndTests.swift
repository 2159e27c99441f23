#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import NetDNSAudit

/// `watch` and the progress bar, driven through a pseudo-terminal like a user sees them.
/// Every wait has a deadline; nothing sleeps for a fixed time.
@Suite struct WatchEndToEndTests {
    static let delta = "[pod/delta-7d9f8b6c5-x2k4p/delta] lookup d.example on 10.0.0.10:53: no such host\n"
    static let beta = "[pod/beta-7d9f8b6c5-x2k4p/beta] go package net: hostLookupOrder(b.example) = cgo\n"
    static let leaveScreen = "\u{1B}[?25h\u{1B}[?1049l"

    struct Running {
        let process: Process
        let stdin: Pipe
        func write(_ text: String) { stdin.fileHandleForWriting.write(Data(text.utf8)) }
        func closeInput() { try? stdin.fileHandleForWriting.close() }
    }

    func start(_ arguments: [String], stdout: FileHandle, stderr: FileHandle? = nil) throws -> Running {
        let process = Process()
        process.executableURL = BuiltTool.executable
        process.arguments = arguments
        process.currentDirectoryURL = BuiltTool.repositoryRoot
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        process.environment = env
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr ?? FileHandle.nullDevice
        try process.run()
        return Running(process: process, stdin: stdin)
    }

    @Test func screenShowsCountsWhileTheStreamRunsThenTheFinalReport() throws {
        let tty = try PseudoTerminal()
        let run = try start(["watch"], stdout: tty.slaveHandle)
        tty.closeSlave()
        defer { if run.process.isRunning { run.process.terminate() } }

        run.write(Self.delta + Self.delta)
        #expect(tty.read(within: 10) { $0.contains("2 lines") && $0.contains("2 failure(s)") })
        #expect(tty.text.hasPrefix("\u{1B}[?1049h\u{1B}[?25l"))
        run.write(Self.beta + Self.delta + Self.delta)
        #expect(tty.read(within: 10) { $0.contains("5 lines") && $0.contains("4 failure(s)") })
        // Still running, still on the alternate screen: the counts changed before the end.
        #expect(run.process.isRunning)
        #expect(!tty.text.contains(Self.leaveScreen))
        // The frame drawn last may still be arriving when the counts show: wait for it whole.
        func lastFrame(_ screen: String) -> Substring? {
            screen.range(of: "\u{1B}[H", options: .backwards).map { screen[$0.lowerBound...] }
        }
        let order = "go package net: hostLookupOrder(b.example) = cgo"
        #expect(tty.read(within: 10) { screen in
            lastFrame(screen).map { $0.contains("beta") && $0.contains("delta") && $0.contains(order) } ?? false
        })
        let frame = try #require(lastFrame(tty.text))
        let beta = try #require(frame.range(of: "beta")), delta = try #require(frame.range(of: "delta"))
        #expect(beta.lowerBound < delta.lowerBound)
        #expect(frame.contains(order))

        run.closeInput()
        #expect(waitForExit(run.process, within: 10, reading: tty))
        tty.read(within: 2) { $0.contains("VERDICT: pure-go") }
        #expect(run.process.terminationStatus == 0)
        let final = tty.text.components(separatedBy: Self.leaveScreen).last ?? ""
        #expect(final.hasPrefix("SERVICE  INST  PROC  VERDICT"))
        #expect(final.contains("beta     1     0     cgo      0   1"))
        #expect(final.contains("1 input(s), \(Self.beta.utf8.count + 4 * Self.delta.utf8.count) bytes, 5 lines"))
    }

    @Test func sigtermRestoresTheScreenAndPrintsTheReport() throws {
        let tty = try PseudoTerminal()
        let run = try start(["watch", "--format", "json"], stdout: tty.slaveHandle)
        tty.closeSlave()
        defer { run.closeInput() }
        run.write(Self.delta)
        #expect(tty.read(within: 10) { $0.contains("1 lines") })
        run.process.terminate()
        #expect(waitForExit(run.process, within: 10, reading: tty))
        tty.read(within: 2) { $0.hasSuffix("}\r\n") }
        #expect(run.process.terminationStatus == 0)
        #expect(run.process.terminationReason == .exit)
        let final = tty.text.components(separatedBy: Self.leaveScreen).last ?? ""
        let report = try AuditReport.decode(Data(final.replacingOccurrences(of: "\r\n", with: "\n").utf8))
        #expect(report.services.map(\.name) == ["delta"])
        #expect(report.totals.failures == 1)
    }

    @Test func offATerminalJSONLinesComeEveryIntervalThenTheReport() throws {
        let out = Pipe()
        let reader = PipeReader(out)
        let run = try start(["watch", "--interval", "0.2"], stdout: out.fileHandleForWriting)
        try out.fileHandleForWriting.close()
        defer { if run.process.isRunning { run.process.terminate() } }
        run.write(Self.delta)
        #expect(reader.read(within: 10) { $0.contains("\"failures\":1,") })
        let firstLine = reader.text.split(separator: "\n").first { $0.contains("\"failures\":1,") }.map(String.init) ?? ""
        let report = try AuditReport.decode(Data(firstLine.utf8))
        #expect(report.totals.lines == 1)
        #expect(!reader.text.contains("\u{1B}"))
        run.closeInput()
        #expect(waitForExit(run.process, within: 10))
        reader.read(within: 2) { $0.contains("VERDICT: pure-go") }
        #expect(reader.text.contains("\nSERVICE  INST  PROC  VERDICT"))
    }

    @Test func followedFilesAreWatched() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("lookup a.example on 10.0.0.10:53: no such host\n".utf8).write(to: folder.appendingPathComponent("api.log"))
        let tty = try PseudoTerminal()
        let run = try start(["watch", folder.path], stdout: tty.slaveHandle)
        tty.closeSlave()
        defer { run.closeInput() }
        #expect(tty.read(within: 10) { $0.contains("1 lines") && $0.contains("[1 file(s)]") })
        try Data("lookup b.example on 10.0.0.10:53: no such host\n".utf8).write(to: folder.appendingPathComponent("web.log"))
        #expect(tty.read(within: 10) { $0.contains("2 lines") && $0.contains("[2 file(s)]") })
        run.process.interrupt()
        #expect(waitForExit(run.process, within: 10, reading: tty))
        tty.read(within: 2) { $0.contains("VERDICT: pure-go") }
        #expect(run.process.terminationStatus == 0)
        let final = tty.text.components(separatedBy: Self.leaveScreen).last ?? ""
        #expect(final.contains("\napi "))
        #expect(final.contains("\nweb "))
    }

    @Test func progressBarOnATerminalIsErasedAtTheEnd() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("big.log")
        let line = "ordinary line of a service that does not do much at all\n"
        try Data(String(repeating: line, count: (3 << 20) / line.utf8.count).utf8).write(to: file)
        for noProgress in [false, true] {
            let tty = try PseudoTerminal()
            let stdout = folder.appendingPathComponent("out-\(noProgress).json")
            _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
            let handle = try FileHandle(forWritingTo: stdout)
            let run = try start(["analyze", file.path, "--format", "json"] + (noProgress ? ["--no-progress"] : []), stdout: handle, stderr: tty.slaveHandle)
            tty.closeSlave()
            run.closeInput()
            #expect(waitForExit(run.process, within: 30, reading: tty))
            tty.read(within: 2) { _ in false }
            try handle.close()
            #expect(run.process.terminationStatus == 0)
            if noProgress {
                #expect(tty.text == "")
            } else {
                #expect(tty.text.hasPrefix("\r["))
                #expect(tty.text.contains("% "))
                #expect(tty.text.contains(" MB/s  ETA "))
                #expect(tty.text.hasSuffix("\r\u{1B}[2K"))
            }
            #expect(try AuditReport.decode(Data(contentsOf: stdout)).totals.lines == (3 << 20) / line.utf8.count)
        }
    }
}
