import Foundation
import Testing
import NetDNSAudit

/// `netdns-audit merge` through the built executable: exit codes, error lines, stdin.
@Suite struct MergeCommandTests {
    /// What a run printed, and its exit code.
    struct Run {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    /// The `netdns-audit` built next to the test bundle (`.build/<triple>/debug/`).
    static let executable: URL = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let sibling = exe.deletingLastPathComponent().appendingPathComponent("netdns-audit")
        if FileManager.default.isExecutableFile(atPath: sibling.path) { return sibling }
        // Fallback: the package's own debug build.
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return package.appendingPathComponent(".build/debug/netdns-audit")
    }()

    static func run(_ arguments: [String], stdin: Data? = nil, executable: URL = executable) throws -> Run {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-merge-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outURL = directory.appendingPathComponent("out"), errURL = directory.appendingPathComponent("err")
        let inURL = directory.appendingPathComponent("in")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: inURL.path, contents: stdin ?? Data())
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = try FileHandle(forReadingFrom: inURL)
        try process.run()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: try Data(contentsOf: outURL),
                   stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// A scratch directory with the JSON reports of two fixtures, written by `analyze`.
    struct Reports {
        let directory: URL
        var shop: String { directory.appendingPathComponent("shop.json").path }
        var billing: String { directory.appendingPathComponent("billing.json").path }

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-merge-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (name, log) in [("shop", "shop-prefix.log"), ("billing", "billing-prefix-timestamps.log")] {
                let run = try MergeCommandTests.run(["analyze", "--format", "json", MergeFixture.location(log).path])
                #expect(run.status == 0)
                try run.stdout.write(to: directory.appendingPathComponent("\(name).json"))
            }
        }

        func write(_ text: String, _ name: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url.path
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    @Test func validMergeExitsZeroWithTheMergedReport() throws {
        let reports = try Reports()
        defer { reports.remove() }
        let run = try Self.run(["merge", "--format", "json", reports.shop, reports.billing])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        let merged = try AuditReport.decode(run.stdout)
        let expected = AuditReport.merged([
            try AuditReport.decode(Data(contentsOf: URL(fileURLWithPath: reports.shop))),
            try AuditReport.decode(Data(contentsOf: URL(fileURLWithPath: reports.billing))),
        ])
        #expect(merged == expected)
        #expect(merged.services.map(\.name) == [
            "billing-api", "billing-worker", "cart", "checkout", "fx-rates", "inventory", "inventory-reindex",
            "label-service", "ledger", "session-store",
        ])
        #expect(merged.totals.files == 2)
        #expect(merged.totals.lines == 111 + 149)

        let table = try Self.run(["merge", reports.billing, reports.shop])
        #expect(table.status == 0)
        #expect(String(decoding: table.stdout, as: UTF8.self).contains("2 input(s), 54983 bytes, 260 lines"))
    }

    @Test func badSchemaVersionExitsTwoWithOneLineNamingTheFile() throws {
        let reports = try Reports()
        defer { reports.remove() }
        let future = try reports.write(#"{"schemaVersion": 3, "services": [], "totals": {}, "tool": "netdns-audit 9"}"#, "future.json")
        let run = try Self.run(["merge", reports.shop, future])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "netdns-audit: \(future): schemaVersion 3 is not supported (this version reads 1 to 2; a newer netdns-audit wrote it?)\n")
    }

    @Test func everyBadInputIsNamedAndNothingIsMerged() throws {
        let reports = try Reports()
        defer { reports.remove() }
        let junk = try reports.write("hello\n", "junk.json")
        let empty = try reports.write("", "empty.json")
        let missing = reports.directory.appendingPathComponent("missing.json").path
        let shopText = try String(contentsOfFile: reports.shop, encoding: .utf8)
        let truncated = try reports.write(String(shopText.prefix(500)), "truncated.json")
        let run = try Self.run(["merge", junk, reports.shop, empty, missing, truncated])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.split(separator: "\n") == [
            "netdns-audit: \(junk): not a netdns-audit JSON report: 'h' at byte 1 where a report should start",
            "netdns-audit: \(empty): no report found (empty input)",
            "netdns-audit: \(missing): cannot open: No such file or directory",
            "netdns-audit: \(truncated): truncated: the input ends inside a report (after 500 bytes)",
        ])
    }

    @Test func standardInputTakesReportsOnePerLineOrConcatenated() throws {
        let reports = try Reports()
        defer { reports.remove() }
        let shop = try Data(contentsOf: URL(fileURLWithPath: reports.shop))
        let billing = try Data(contentsOf: URL(fileURLWithPath: reports.billing))
        let expected = try Self.run(["merge", "--format", "json", reports.shop, reports.billing])

        // Pretty reports simply concatenated.
        let concatenated = try Self.run(["merge", "--format", "json", "-"], stdin: shop + billing)
        #expect(concatenated.status == 0)
        #expect(concatenated.stdout == expected.stdout)

        // One report per line, as the map step emits them, with Hadoop's empty-value tab.
        var lines = Data()
        for path in [reports.shop, reports.billing] {
            let line = try Self.run(["merge", "--format", "json-line", path])
            #expect(line.status == 0)
            #expect(line.stdout.filter { $0 == 0x0A }.count == 1)
            lines += line.stdout.dropLast() + Data("\t\n".utf8)
        }
        let ndjson = try Self.run(["merge", "--format", "json"], stdin: lines)
        #expect(ndjson.status == 0)
        #expect(ndjson.stdout == expected.stdout)

        // A bad second report on standard input is located.
        let bad = try Self.run(["merge", "-"], stdin: shop + Data(#"{"schemaVersion": 3}"#.utf8))
        #expect(bad.status == 2)
        #expect(bad.stderr == "netdns-audit: -: report 2: schemaVersion 3 is not supported (this version reads 1 to 2; a newer netdns-audit wrote it?)\n")
    }

    @Test func unknownFormatIsAUsageError() throws {
        let run = try Self.run(["merge", "--format", "xml", "-"])
        #expect(run.status == 2)
        #expect(run.stderr == "netdns-audit: --format must be table, json, json-line or markdown, not 'xml' (see netdns-audit merge --help)\n")
    }

    /// `Scripts/fleet/map.sh < list | sort | reduce.sh` (a local stand-in for Hadoop Streaming's
    /// map, shuffle and reduce) gives the report of analysing all the files at once.
    @Test func fleetScriptsMapAndReduceToTheWholeAnalysis() throws {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let fleet = package.appendingPathComponent("Scripts/fleet")
        let logs = MergeFixture.fixtureNamesForFleet.map { MergeFixture.location($0).path }
        let list = logs.enumerated().map { "\($0.offset * 100)\t\($0.element)\n" }.joined()  // Hadoop's KEY<TAB>PATH lines
        let process = try Self.run(
            ["-c", "NETDNS_AUDIT=\"$0\" \"$1/map.sh\" | sort | NETDNS_AUDIT=\"$0\" \"$1/reduce.sh\"", Self.executable.path, fleet.path],
            stdin: Data(list.utf8), executable: URL(fileURLWithPath: "/bin/sh"))
        #expect(process.status == 0)
        #expect(process.stderr == "")
        #expect(process.stdout.filter { $0 == 0x0A }.count == 1)
        let whole = try Self.run(["analyze", "--format", "json"] + logs)
        #expect(whole.status == 0)
        #expect(try AuditReport.decode(process.stdout) == AuditReport.decode(whole.stdout))
    }
}
