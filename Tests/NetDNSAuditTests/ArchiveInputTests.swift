import Foundation
import Testing
@testable import NetDNSAudit

@Suite struct ArchiveInputTests {
    typealias Support = InputTestSupport

    static let podLogPath = "var/log/pods/ns_pod-abc12_uid/app/0.log"

    /// A log with one decision line and one DNS failure.
    static let podLog = Array("""
        starting app
        go package net: using the Go DNS resolver
        {"level":"error","error":"lookup db.ns.svc.cluster.local on 10.96.0.10:53: no such host"}
        done

        """.utf8)

    /// Summaries of the instances read from the member at `path` of an archive.
    static func instances(_ summary: AuditSummary, readFrom path: String) -> [InstanceSummary] {
        summary.instances.values.filter { $0.files.contains(path) }
    }

    @Test func tarGzMembersAreAnalysedUnderArchivePathPlusMemberPath() throws {
        var tar = Support.TarBuilder()
        tar.add("var/", [], type: 0x35)
        tar.add(Self.podLogPath, Self.podLog)
        tar.add("notes/readme.txt", Support.plainLines(4))
        tar.add("logs/old.log.gz", Support.gzip(Support.plainLines(6)))
        tar.add("var/log/pods/ns_pod-abc12_uid/app/link.log", [], type: 0x32)
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bundle = directory.appendingPathComponent("bundle.tar.gz")
        try Support.write(Support.gzip(tar.archive), to: bundle)

        let (summary, errors) = Analyzer().analyzeInput(.path(bundle.path))
        #expect(errors.isEmpty)
        #expect(summary.totals.files == 3)
        #expect(summary.totals.lines == 4 + 4 + 6)
        #expect(summary.totals.readErrors == 0)
        let pod = Self.instances(summary, readFrom: bundle.path + "/" + Self.podLogPath)
        #expect(pod.count == 1)
        #expect(pod.first?.processes == 1)
        #expect(pod.first?.failures.total == 1)
        #expect(pod.first?.failures.serverNamed[.nxdomain] == 1)
        #expect(Self.instances(summary, readFrom: bundle.path + "/logs/old.log.gz").first?.lines == 6)
    }

    @Test func longNamesFromGnuAndPaxHeaders() {
        let longPath = "var/log/pods/" + String(repeating: "very-long-namespace-", count: 6) + "_pod-abc12_uid/app/0.log"
        var tar = Support.TarBuilder()
        tar.addLongName(longPath, Support.plainLines(3))
        tar.addPax("pax/" + longPath.replacingOccurrences(of: "0.log", with: "1.log"), Support.plainLines(5))
        tar.add("./short.log", Support.plainLines(2))
        let (summary, errors) = Analyzer().analyzeContent(
            of: InputMemorySource(tar.archive), source: SourceContext(path: "b.tar"), mode: .perFile)
        #expect(errors.isEmpty)
        #expect(summary.totals.files == 3)
        #expect(Self.instances(summary, readFrom: "b.tar/" + longPath).first?.lines == 3)
        #expect(Self.instances(summary, readFrom: "b.tar/pax/" + longPath.replacingOccurrences(of: "0.log", with: "1.log")).first?.lines == 5)
        #expect(Self.instances(summary, readFrom: "b.tar/short.log").first?.lines == 2)
    }

    @Test func tarReaderListsRegularMembers() throws {
        var tar = Support.TarBuilder()
        tar.add("dir/", [], type: 0x35)
        tar.add("dir/a.log", Array(repeating: 0x61, count: 513))
        tar.add("dir/b.log", [])
        tar.add("dir/c.log", Array("c\n".utf8))
        let reader = TarReader(InputMemorySource(tar.archive, chunk: 100), archiveName: "t.tar")
        var members: [TarReader.Member] = []
        var contents: [[UInt8]] = []
        while let member = try reader.nextMember() {
            members.append(member)
            var source = TarMemberSource(reader)
            contents.append(source.readAll(bufferSize: 7).bytes)
        }
        #expect(members.map(\.path) == ["dir/a.log", "dir/b.log", "dir/c.log"])
        #expect(members.map(\.size) == [513, 0, 2])
        #expect(contents == [Array(repeating: 0x61, count: 513), [], Array("c\n".utf8)])
        #expect(reader.failure == nil)
    }

    @Test func badChecksumInTheSecondHeaderKeepsTheFirstMemberAndTheNextInput() throws {
        var tar = Support.TarBuilder()
        tar.add("first.log", Support.plainLines(9))
        tar.add("second.log", Support.plainLines(5), corruptChecksum: true)
        tar.add("third.log", Support.plainLines(5))
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let archive = directory.appendingPathComponent("support.tar")
        let next = directory.appendingPathComponent("z-next.log")
        try Support.write(tar.archive, to: archive)
        try Support.write(Support.plainLines(3), to: next)

        let result = Analyzer().analyze([.path(directory.path)])
        #expect(result.summary.totals.files == 2)
        #expect(result.summary.totals.lines == 9 + 3)
        #expect(result.summary.totals.readErrors == 1)
        #expect(result.errors.count == 1)
        guard case .corrupt(let path, let reason)? = result.errors.first else {
            Issue.record("expected a corrupt error, got \(result.errors)")
            return
        }
        #expect(path == archive.path)
        let secondHeader = 512 + (Support.plainLines(9).count + 511) / 512 * 512
        #expect(reason.contains("bad header checksum at offset \(secondHeader) (after 1 member(s))"))
    }

    @Test func truncatedMemberKeepsItsFirstLines() {
        var tar = Support.TarBuilder()
        tar.add("a.log", Support.plainLines(10))
        tar.add("b.log", Support.plainLines(100))
        let firstMember = 512 + (Support.plainLines(10).count + 511) / 512 * 512
        let cut = Array(tar.archive[0..<(firstMember + 512 + 1000)])
        let (summary, errors) = Analyzer().analyzeContent(
            of: InputMemorySource(cut), source: SourceContext(path: "cut.tar"), mode: .perFile)
        #expect(errors.count == 1)
        #expect(errors.first?.path == "cut.tar")
        #expect(errors.first?.description.contains("truncated tar archive") == true)
        #expect(summary.totals.readErrors == 1)
        #expect(summary.totals.files == 2)
        let firstLines = Support.plainLines(100)[0..<1000]
        let complete = firstLines.filter { $0 == 0x0A }.count
        #expect(summary.totals.lines == 10 + complete + 1)
    }

    @Test func truncatedTarGzReportsTheGzipDamageOnce() {
        var tar = Support.TarBuilder()
        tar.add("a.log", Support.plainLines(3000))
        tar.add("b.log", Support.plainLines(10))
        let gz = Support.gzip(tar.archive)
        let (summary, errors) = Analyzer().analyzeContent(
            of: InputMemorySource(Array(gz[0..<(gz.count * 2 / 3)])), source: SourceContext(path: "cut.tar.gz"), mode: .perFile)
        #expect(errors.count == 1)
        #expect(errors.first?.path == "cut.tar.gz")
        #expect(errors.first?.description.contains("truncated gzip stream") == true)
        #expect(summary.totals.readErrors == 1)
        #expect(summary.totals.files == 1)
        #expect(summary.totals.lines > 0 && summary.totals.lines <= 3000)
    }

    @Test func tarOnStandardInputIsRecognised() {
        var tar = Support.TarBuilder()
        tar.add(Self.podLogPath, Self.podLog)
        let (summary, errors) = Analyzer().analyzeContent(
            of: InputMemorySource(Support.gzip(tar.archive), chunk: 10), source: SourceContext(path: nil), mode: .perLine)
        #expect(errors.isEmpty)
        #expect(summary.totals.files == 1)
        #expect(Self.instances(summary, readFrom: "-/" + Self.podLogPath).first?.failures.total == 1)
    }

    @Test func binaryMembersAreSkippedAndListed() {
        var tar = Support.TarBuilder()
        tar.add("bin/tool", BinaryAndRotationInputTests.elfLikeBytes(20000))
        tar.add("app.log", Support.plainLines(2))
        let (summary, errors) = Analyzer().analyzeContent(
            of: InputMemorySource(tar.archive), source: SourceContext(path: "b.tar"), mode: .perFile)
        #expect(errors.isEmpty)
        #expect(summary.totals.binaryFilesSkipped == ["b.tar/bin/tool"])
        #expect(summary.totals.files == 1)
        #expect(summary.totals.lines == 2)
    }
}
