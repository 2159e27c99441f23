import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The built executable on hostile inputs: what the user sees (messages, exit codes) and that
/// nothing from the input reaches the terminal unescaped.
@Suite struct HostileInputCommandTests {
    let runner = CheckCommandExitTests()

    static func controlBytes(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }
    }

    @Test func brokenTreeGivesMessagesExitTwoAndAFinishedReport() throws {
        let dir = try InputTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("[pod/api-7d9f8b6c5-x2k4p/api] lookup db.example on 10.0.0.10:53: no such host\n".utf8)
            .write(to: dir.appendingPathComponent("sub/app.log"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("sub/loop").path, withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("dangling.log").path, withDestinationPath: "gone.log")
        #expect(mkfifo(dir.appendingPathComponent("pipe.log").path, 0o600) == 0)
        let r = try runner.run(["analyze", dir.path])
        #expect(r.status == 2)
        let errors = r.stderr.split(separator: "\n").map(String.init)
        #expect(errors == [
            "netdns-audit: \(dir.path)/dangling.log: cannot open: No such file or directory",
            "netdns-audit: \(dir.path)/pipe.log: not a regular file, skipped",
            "netdns-audit: \(dir.path)/sub/loop: symlink loop (links to a directory above it), skipped",
        ])
        #expect(r.stdout.hasPrefix("SERVICE "))
        #expect(r.stdout.contains("\napi "))
        #expect(r.stdout.contains("1 input(s), "))
        #expect(r.stdout.contains(", 3 read error(s)\n"))
    }

    @Test func hostileLogAndArchiveNamesNeverReachTheTerminalRaw() throws {
        let dir = try InputTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A log with a hostile pod name and message, and a truncated archive whose member is named with escapes.
        let log = dir.appendingPathComponent("hostile.log")
        try Data(HostileTextTests.hostileLog).write(to: log)
        var tar = InputTestSupport.TarBuilder()
        tar.add("evil\u{1B}]0;pwned\u{7}\u{1B}[2J.log", InputTestSupport.plainLines(200))
        let archive = dir.appendingPathComponent("bundle.tar")
        try Data(tar.archive.prefix(2048)).write(to: archive)
        let summaryFile = dir.appendingPathComponent("summary.md").path
        for arguments in [["analyze", log.path, archive.path], ["analyze", "--format", "markdown", log.path, archive.path],
                          ["analyze", "--format", "json", log.path, archive.path],
                          ["check", "--max-failures", "0", "--github", log.path, archive.path]] {
            let r = try runner.run(arguments, environment: ["GITHUB_STEP_SUMMARY": summaryFile])
            #expect(r.status == 2, "\(arguments)")
            #expect(Self.controlBytes(r.stdout).isEmpty, "\(arguments): \(r.stdout)")
            #expect(Self.controlBytes(r.stderr).isEmpty, "\(arguments): \(r.stderr)")
            #expect(r.stderr.contains("bundle.tar: truncated tar archive: member 'evil\\x1b]0;pwned\\x07\\x1b[2J.log' ends "), "\(r.stderr)")
        }
    }
}
