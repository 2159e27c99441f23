import Foundation
import Testing
@testable import NetDNSAudit

/// `tail -F` behaviour, driven one ``FileFollower/poll()`` at a time (no clocks involved).
@Suite struct FileFollowerTests {
    static let failure = "lookup db.svc on 10.0.0.10:53: no such host\n"

    final class Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-follow-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }

        func write(_ name: String, _ text: String) throws {
            try FileManager.default.createDirectory(at: url.appendingPathComponent(name).deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url.appendingPathComponent(name))
        }

        func append(_ name: String, _ text: String) throws {
            let handle = try FileHandle(forWritingTo: url.appendingPathComponent(name))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
        }
    }

    func failures(_ summary: AuditSummary) -> [String: Int] {
        var out: [String: Int] = [:]
        for s in summary.instances.values { out[s.identity.service, default: 0] += s.failures.total }
        return out
    }

    @Test func appendedLinesAndNewFilesAreRead() throws {
        let folder = try Folder()
        try folder.write("a/api.log", Self.failure)
        let follower = FileFollower(paths: [folder.url.path], options: AnalyzerOptions())
        follower.poll()
        #expect(failures(follower.snapshot()) == ["api": 1])
        try folder.append("a/api.log", Self.failure + "lookup half.svc on 10.0.0.10:53")
        follower.poll()
        #expect(failures(follower.snapshot()) == ["api": 2])
        try folder.append("a/api.log", ": no such host\n")
        try folder.write("b/web.log", Self.failure)
        follower.poll()
        #expect(failures(follower.snapshot()) == ["api": 3, "web": 1])
        #expect(follower.followedFileCount == 2)
        let final = follower.finish()
        #expect(failures(final) == ["api": 3, "web": 1])
        #expect(final.totals.lines == 4)
        #expect(final.totals.files == 2)
    }

    @Test func rotatedFileIsReadToItsEndAndItsReplacementFromTheStart() throws {
        let folder = try Folder()
        try folder.write("api.log", Self.failure)
        let follower = FileFollower(paths: [folder.url.path], options: AnalyzerOptions())
        follower.poll()
        // Kubelet style: more lines, then rename, then a new file under the old name.
        try folder.append("api.log", Self.failure)
        try FileManager.default.moveItem(atPath: folder.path("api.log"), toPath: folder.path("api.log.20261120-100000"))
        try folder.write("api.log", Self.failure + Self.failure)
        follower.poll()
        follower.poll()
        let final = follower.finish()
        // The renamed file is the same file (same inode): read once, not again from its start.
        #expect(failures(final) == ["api": 4])
        #expect(final.totals.lines == 4)
    }

    /// The double count of the randomised rotation test (#15 item 4), made deterministic: a file
    /// that no scan finds for a while (renamed twice in quick succession, each rename falling
    /// between a scan's directory listing and its look at the name; here: renamed out of the
    /// watched tree for three polls) still exists. It was let go after two such scans, and when a
    /// scan found it again (`app.log.1`) it looked new and was read again from its start.
    @Test func aFileHiddenFromScansWhileItStillExistsIsNotReadAgain() throws {
        let folder = try Folder()
        try folder.write("logs/app.log", Self.failure + Self.failure)
        try folder.write("elsewhere/keep", "")
        let follower = FileFollower(paths: [folder.path("logs")], options: AnalyzerOptions())
        follower.poll()
        try FileManager.default.moveItem(atPath: folder.path("logs/app.log"), toPath: folder.path("elsewhere/app.log"))
        for _ in 0..<3 { follower.poll() }
        // Still followed: it has a name, so it may come back under it or another one.
        #expect(follower.followedFileCount == 1)
        try folder.append("elsewhere/app.log", Self.failure)
        try FileManager.default.moveItem(atPath: folder.path("elsewhere/app.log"), toPath: folder.path("logs/app.log.1"))
        follower.poll()
        follower.poll()
        #expect(follower.followedFileCount == 1)
        let final = follower.finish()
        #expect(final.totals.lines == 3)
        #expect(final.totals.failures == 3)
        #expect(failures(final) == ["app": 3])
    }

    /// Files moved out of the tree for good do not use up the descriptors: beyond
    /// ``FileFollower/absentFileLimit`` of them, the longest absent are read to their end and let go.
    @Test func filesAbsentFromTheTreeAreKeptOpenUpToALimit() throws {
        let folder = try Folder()
        for name in ["a", "b", "c"] { try folder.write("logs/\(name).log", Self.failure) }
        try folder.write("elsewhere/keep", "")
        let follower = FileFollower(paths: [folder.path("logs")], options: AnalyzerOptions())
        follower.absentFileLimit = 1
        follower.poll()
        #expect(follower.followedFileCount == 3)
        try FileManager.default.moveItem(atPath: folder.path("logs/c.log"), toPath: folder.path("elsewhere/c.log"))
        follower.poll()
        #expect(follower.followedFileCount == 3)
        for name in ["a", "b"] {
            try folder.append("logs/\(name).log", Self.failure)
            try FileManager.default.moveItem(atPath: folder.path("logs/\(name).log"), toPath: folder.path("elsewhere/\(name).log"))
        }
        follower.poll()
        // c has been absent longest, then a (by name): both read to their end and let go; b stays.
        #expect(follower.followedFileCount == 1)
        try folder.append("elsewhere/b.log", Self.failure)
        try folder.append("elsewhere/c.log", Self.failure)
        follower.poll()
        let final = follower.finish()
        #expect(final.totals.lines == 6)
        #expect(failures(final) == ["a": 2, "b": 3, "c": 1])
    }

    /// A deleted file (no name left) is read to its end and let go at the next poll; a new file
    /// that then gets its inode number (ext4 reuses them at once) is a new file, read from its start.
    @Test func aDeletedFileIsReadToItsEndAndLetGoAndItsInodeMayBeReused() throws {
        let folder = try Folder()
        try folder.write("app.log", Self.failure)
        let follower = FileFollower(paths: [folder.url.path], options: AnalyzerOptions())
        follower.poll()
        try folder.append("app.log", Self.failure)
        #expect(unlink(folder.path("app.log")) == 0)
        follower.poll()
        #expect(follower.followedFileCount == 0)
        try folder.write("app.log", Self.failure + Self.failure + Self.failure)
        follower.poll()
        #expect(follower.followedFileCount == 1)
        let final = follower.finish()
        #expect(final.totals.lines == 5)
        #expect(failures(final) == ["app": 5])
    }

    @Test func truncatedFileIsReadAgainFromTheStart() throws {
        let folder = try Folder()
        try folder.write("api.log", Self.failure + Self.failure)
        let follower = FileFollower(paths: [folder.path("api.log")], options: AnalyzerOptions())
        follower.poll()
        try folder.write("api.log", "")
        follower.poll()
        try folder.append("api.log", Self.failure)
        follower.poll()
        #expect(failures(follower.finish()) == ["api": 3])
    }

    @Test func missingPathIsReportedOnceAndPickedUpWhenItAppears() throws {
        let folder = try Folder()
        let follower = FileFollower(paths: [folder.path("late.log")], options: AnalyzerOptions())
        follower.poll()
        follower.poll()
        let problems = follower.takeProblems()
        #expect(problems.count == 1)
        #expect(problems.first?.description.hasSuffix("late.log: cannot open: No such file or directory") == true)
        try folder.write("late.log", Self.failure)
        follower.poll()
        #expect(follower.takeProblems().isEmpty)
        #expect(failures(follower.finish()) == ["late": 1])
    }

    @Test func serviceOverrideAndEvidenceObserver() throws {
        let folder = try Folder()
        try folder.write("api.log", "ordinary\n" + Self.failure)
        var seen: [String] = []
        var options = AnalyzerOptions()
        options.service = "shop"
        let follower = FileFollower(paths: [folder.url.path], options: options) { _, message in
            seen.append(String(decoding: message, as: UTF8.self))
        }
        follower.poll()
        #expect(failures(follower.snapshot()) == ["shop": 1])
        #expect(seen == ["lookup db.svc on 10.0.0.10:53: no such host"])
    }
}
