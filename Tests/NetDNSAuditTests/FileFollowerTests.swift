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
