import Foundation
import Testing

/// Without /proc (a chroot), the command line is still read: `check logs/` checks the logs
/// (exit 1 on their cgo service) instead of passing on an empty standard input; an empty
/// argument vector is refused with exit 2 and one line. Runs `Scripts/soak/no-proc.sh` on the
/// built binary; skipped (with the reason) when chroot is impossible (not root).
@Suite struct NoProcTests {
    static var canChroot: Bool { geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/chroot") }

    @Test(.enabled(if: canChroot, "needs root and /usr/sbin/chroot"))
    func commandLineSurvivesAChrootWithoutProc() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let exe = try #require(CheckCommandExitTests.executable)
        let process = Process()
        process.executableURL = root.appendingPathComponent("Scripts/soak/no-proc.sh")
        process.arguments = [exe.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 77 {
            print("NoProcTests skipped: \(text)")
            return
        }
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("inside, without /proc: exit 1"), "\(text)")
    }
}
