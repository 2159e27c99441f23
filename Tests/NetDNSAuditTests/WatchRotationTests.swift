#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import NetDNSAudit

/// `watch` over a directory while another thread rotates (renames), truncates, deletes and
/// appends to its files at random, as logrotate and kubelet do, racing the follower's scans.
/// Every line written must be counted exactly once, and no rotation may be reported as a
/// problem. Rounds are bounded by time: `NETDNS_ROTATION_SECONDS` (default 2) in CI, longer
/// in `Scripts/soak.sh`; the seed of a failing round is in the failure message.
@Suite struct WatchRotationTests {
    static let line = "lookup db.svc on 10.0.0.10:53: no such host\n"

    /// What the writer thread and the polling thread share.
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var polls = 0
        private var done = false
        var completedPolls: Int { lock.withLock { polls } }
        func tick() { lock.withLock { polls += 1 } }
        var writerDone: Bool { lock.withLock { done } }
        func finishWriter() { lock.withLock { done = true } }
    }

    /// One file the writer knows: its lines, and the poll count at its last change.
    struct Written {
        var path: String
        var lines = 0
        var changed: Int
        var truncatedAt = Int.min
        var live: Bool
    }

    /// The writer: random operations for `operations` steps; returns the lines written.
    /// A file is truncated or deleted only when two polls have completed since its last change
    /// (so everything in it was read), and appended to again only two polls after a
    /// truncation (so the follower saw the file shrink): beyond that, `tail -F` cannot know
    /// what was lost, and the totals could not be exact.
    static func write(in dir: String, seed: UInt64, operations: Int, clock: Clock) -> Int {
        var rng = SplitMix64(seed: seed)
        var files: [Written] = []
        var rotation = 0
        var total = 0
        let slots = 3
        for slot in 0..<slots {
            let path = "\(dir)/app\(slot).log"
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            files.append(Written(path: path, changed: clock.completedPolls, live: true))
        }
        func append(_ i: Int, _ n: Int) {
            guard let fd = Optional(open(files[i].path, O_WRONLY | O_APPEND)), fd >= 0 else { return }
            let text = String(repeating: line, count: n)
            let written = text.withCString { Glibc.write(fd, $0, strlen($0)) }
            close(fd)
            precondition(written == text.utf8.count)
            files[i].lines += n
            files[i].changed = clock.completedPolls
            total += n
        }
        for _ in 0..<operations {
            let now = clock.completedPolls
            let i = rng.below(files.count)
            let settled = now >= files[i].changed + 2
            switch rng.below(10) {
            case 0..<5:
                if files[i].live && now >= files[i].truncatedAt + 2 { append(i, 1 + rng.below(20)) }
            case 5, 6:
                // Rename rotation: the live file gets a new name, a new file takes the old one.
                guard files[i].live else { break }
                rotation += 1
                let rotated = files[i].path + ".\(rotation)"
                guard rename(files[i].path, rotated) == 0 else { break }
                var old = files[i]
                old.path = rotated
                old.live = false
                old.changed = now
                files.append(old)
                _ = FileManager.default.createFile(atPath: files[i].path, contents: nil)
                files[i].changed = now
                files[i].truncatedAt = Int.min
                if rng.below(2) == 0 { append(i, 1 + rng.below(5)) }
            case 7:
                // Truncation of a file whose lines were all read.
                if files[i].live && settled {
                    _ = truncate(files[i].path, 0)
                    files[i].truncatedAt = now
                    files[i].changed = now
                }
            default:
                // Deletion of a read file (the oldest rotation, or a live file that is recreated).
                guard settled else { break }
                unlink(files[i].path)
                if files[i].live {
                    _ = FileManager.default.createFile(atPath: files[i].path, contents: nil)
                    files[i].changed = now
                    files[i].truncatedAt = Int.min
                } else {
                    files.remove(at: i)
                }
            }
            if rng.below(4) == 0 { usleep(UInt32(rng.below(300))) }
        }
        return total
    }

    /// One round: a fresh directory, a follower polling in a tight loop, a writer thread.
    static func round(seed: UInt64, operations: Int) throws -> (written: Int, summary: AuditSummary, problems: [InputError]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-rotate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = Clock()
        let follower = FileFollower(paths: [dir], options: AnalyzerOptions(envelope: .plain))
        final class Box: @unchecked Sendable { var written = 0 }
        let box = Box()
        let writer = Thread {
            box.written = write(in: dir, seed: seed, operations: operations, clock: clock)
            clock.finishWriter()
        }
        writer.start()
        var problems: [InputError] = []
        while !clock.writerDone {
            follower.poll()
            problems += follower.takeProblems()
            clock.tick()
        }
        for _ in 0..<3 {
            follower.poll()
            problems += follower.takeProblems()
        }
        let summary = follower.finish()
        problems += follower.takeProblems()
        return (box.written, summary, problems)
    }

    @Test func everyLineIsCountedOnceWhileFilesRotateTruncateAndVanish() throws {
        let seconds = Double(ProcessInfo.processInfo.environment["NETDNS_ROTATION_SECONDS"] ?? "") ?? 2
        let start = Date()
        let firstSeed: UInt64 = UInt64(ProcessInfo.processInfo.environment["NETDNS_ROTATION_SEED"] ?? "") ?? 1
        var seed = firstSeed
        var rounds = 0
        var linesChecked = 0
        while rounds < 3 || Date().timeIntervalSince(start) < seconds {
            let (written, summary, problems) = try Self.round(seed: seed, operations: 400)
            #expect(problems == [], "seed \(seed)")
            #expect(summary.totals.lines == written, "seed \(seed): \(summary.totals.lines) lines counted, \(written) written")
            #expect(summary.totals.failures == written, "seed \(seed)")
            #expect(summary.totals.readErrors == 0, "seed \(seed)")
            if summary.totals.lines != written || summary.totals.failures != written || summary.totals.readErrors != 0 || !problems.isEmpty {
                print("WatchRotationTests: seed \(seed) failed after \(rounds) rounds (\(linesChecked) lines) counted once")
                return
            }
            linesChecked += written
            seed += 1
            rounds += 1
        }
        print("WatchRotationTests: \(rounds) rounds (seeds \(firstSeed)-\(seed - 1)), \(linesChecked) lines, every one counted once")
    }

    /// A stop request is honoured between two reads (1 MiB at most), in ``FileFollower/poll()``
    /// and in ``FileFollower/finish()``, which otherwise reads every file to its end.
    @Test func aStopRequestEndsReadingWithinOneRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-stop-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/big.log"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        #expect(truncate(path, 256 << 20) == 0)   // sparse: 256 MiB of zeros, no disk used
        let follower = FileFollower(paths: [path], options: AnalyzerOptions())
        var asked = 0
        follower.stopRequested = { asked += 1; return asked > 3 }
        let read = follower.poll()
        #expect(read <= 3 << 20)
        let summary = follower.finish()
        #expect(summary.totals.bytes == read)
    }

    /// `watch /dev/zero` (an endless file) stops on SIGTERM and SIGINT with its report.
    @Test(arguments: [SIGTERM, SIGINT])
    func watchOfAnEndlessFileStopsOnASignal(signal: Int32) throws {
        let process = Process()
        process.executableURL = BuiltTool.executable
        process.arguments = ["watch", "--format", "json", "/dev/zero"]
        let out = Pipe()
        let reader = PipeReader(out)
        process.standardOutput = out.fileHandleForWriting
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try out.fileHandleForWriting.close()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
        usleep(500_000)
        kill(process.processIdentifier, signal)
        #expect(waitForExit(process, within: 10))
        reader.read(within: 5) { $0.hasSuffix("}\n") }
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        let report = try AuditReport.decode(Data(reader.text.utf8))
        #expect(report.totals.files == 1)
        #expect(report.totals.bytes > 0)
    }
}
