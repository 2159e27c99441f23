import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import NetDNSAudit
@testable import netdns_audit

/// `check` end to end on the runs a gate must not pass quietly: an input it saw nothing in
/// (`no-input`), and an incomplete run (exit 2), through every output at once.
@Suite struct GateEndToEndTests {
    struct Files {
        let dir: URL
        var junit: String { dir.appendingPathComponent("junit.xml").path }
        var sarif: String { dir.appendingPathComponent("out.sarif").path }
        var summary: String { dir.appendingPathComponent("summary.md").path }
        var outputs: [String] { ["--junit", junit, "--sarif", sarif, "--github"] }
        var environment: [String: String] { ["GITHUB_STEP_SUMMARY": summary] }
    }

    func files() throws -> Files { Files(dir: try CIGateSupport.temporaryDirectory()) }

    @Test func emptyInputsViolateNoInput() throws {
        let f = try files()
        defer { try? FileManager.default.removeItem(at: f.dir) }
        let binaries = f.dir.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: binaries, withIntermediateDirectories: true)
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) }).write(to: binaries.appendingPathComponent("a.out"))
        try Data([0x7F, 0x45, 0x4C, 0x46] + [UInt8](repeating: 0, count: 2000)).write(to: binaries.appendingPathComponent("b.so"))
        let cases: [(String, [String], Data?, String)] = [
            ("empty standard input", [], Data(), "check passed: 0 services\n"),
            ("directory of binary files", [binaries.path], nil, "check passed: 0 services (2 warnings, 2 inputs skipped as binary)\n"),
            ("one binary file, through ../", [f.dir.appendingPathComponent("bin").path + "/../bin/a.out"], nil,
             "check passed: 0 services (1 warning, 1 input skipped as binary)\n"),
        ]
        for (label, inputs, stdin, passed) in cases {
            let r = try CIGateSupport.netdnsAudit(["check"] + inputs + f.outputs, environment: f.environment, input: stdin)
            let out = String(decoding: r.stdout, as: UTF8.self)
            #expect(r.status == 1, "\(label): \(out) \(String(decoding: r.stderr, as: UTF8.self))")
            #expect(out.contains("violation: the input: no-input: the input shows no service: \""), "\(label)")
            #expect(out.contains("check failed: 1 violation (no-input: the input shows no service); 0 services"), "\(label)")
            let p = CIGateSupport.runner(r)
            #expect(p.issues["error"]?.first?.properties["title"] == "netdns-audit check failed", "\(label)")
            #expect(p.issues["error"]?.count == 2, "\(label)")
            #expect(try String(contentsOfFile: f.junit, encoding: .utf8).contains("name=\"no-input\""))
            #expect(try String(contentsOfFile: f.sarif, encoding: .utf8).contains("\"ruleId\" : \"no-input\""))
            let allowed = try CIGateSupport.netdnsAudit(["check", "--allow-empty"] + inputs, input: stdin)
            #expect(allowed.status == 0, "\(label)")
            #expect(String(decoding: allowed.stdout, as: UTF8.self).hasSuffix(passed), "\(label)")
        }
        // A glob that matched nothing reaches the tool as the pattern itself: an unreadable input (exit 2).
        let glob = try CIGateSupport.netdnsAudit(["check", f.dir.appendingPathComponent("*.log").path])
        #expect(glob.status == 2)
        #expect(String(decoding: glob.stdout, as: UTF8.self).contains("violation: the input: no-input"))
        // The policy file key turns it off too.
        let policy = f.dir.appendingPathComponent("policy.json")
        try Data("{\"allowEmptyInput\": true}".utf8).write(to: policy)
        #expect(try CIGateSupport.netdnsAudit(["check", "--policy", policy.path], input: Data()).status == 0)
    }

    @Test func incompleteRunSaysSoInEveryOutput() throws {
        let f = try files()
        defer { try? FileManager.default.removeItem(at: f.dir) }
        let gone = f.dir.appendingPathComponent("gone ##[add-mask]x.log").path
        let r = try CIGateSupport.netdnsAudit(["check", CheckFixtures.shop, gone, "--allow", "inventory"] + f.outputs, environment: f.environment)
        #expect(r.status == 2)
        let lines = String(decoding: r.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        let human = lines.filter { !$0.hasPrefix("::") }
        #expect(human.suffix(2) == ["check passed: 4 services (1 allowed)", "check incomplete: 1 input or output could not be read or written (exit code 2)"])
        let p = CIGateSupport.runner(r)
        #expect(p.executed.count == 1)
        let verdict = try #require(p.issues["error"]?.first)
        #expect(verdict.properties["title"] == "netdns-audit check incomplete")
        #expect(verdict.data.hasPrefix("check incomplete: 1 input or output could not be read or written (exit code 2); check passed: 4 services (1 allowed)\n"))
        #expect(verdict.data.contains("gone ##\\x5badd-mask]x.log: cannot open: No such file or directory"))
        #expect(p.issues["notice"] == nil)
        let summary = try String(contentsOfFile: f.summary, encoding: .utf8)
        #expect(summary.hasPrefix("## netdns-audit check: incomplete\n"))
        let junit = try String(contentsOfFile: f.junit, encoding: .utf8)
        #expect(junit.contains("errors=\"1\""))
        #expect(junit.contains("<error message=\"the check is incomplete: "))
        #expect(try CIGateSupport.junitSchemaErrors(junit) == [])
        let sarif = try Data(contentsOf: URL(fileURLWithPath: f.sarif))
        #expect(try CIGateSupport.sarifSchemaErrors(sarif) == [])
        #expect(String(decoding: sarif, as: UTF8.self).contains("\"executionSuccessful\" : false"))
    }

    @Test func unwritableOutputMakesTheRunIncompleteOnStandardOutput() throws {
        let f = try files()
        defer { try? FileManager.default.removeItem(at: f.dir) }
        let missingDir = f.dir.appendingPathComponent("no/such/dir/out.sarif").path
        let r = try CIGateSupport.netdnsAudit(["check", CheckFixtures.priceCLI, "--sarif", missingDir, "--junit", f.junit, "--github"], environment: f.environment)
        #expect(r.status == 2)
        let out = String(decoding: r.stdout, as: UTF8.self)
        #expect(out.contains("check passed: 1 service\ncheck incomplete: 1 input or output could not be read or written (exit code 2)\n"))
        #expect(String(decoding: r.stderr, as: UTF8.self).contains("\(missingDir): cannot write: "))
        let verdict = CIGateSupport.runner(r).issues["error"]?.first
        #expect(verdict?.data.contains("\(missingDir): cannot write: ") == true)
    }

    /// 30,000 pods, each with a cgo trace line, through the executable and every output. The
    /// analyzer's bounds keep StreamAnalyzer.detailedInstanceLimit instances apart, fold the
    /// others into one row per service for StreamAnalyzer.foldedServiceLimit services and one row
    /// for the rest; every row is a violation, and each output stays inside its consumer's limits.
    /// (The renderers on 30,000 violations: ConsumerRulesTests.)
    @Test func aFleetOf30000PodsStaysInsideEveryLimit() throws {
        let f = try files()
        defer { try? FileManager.default.removeItem(at: f.dir) }
        let logs = f.dir.appendingPathComponent("fleet")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        for file in 0..<15 {
            var text = ""
            text.reserveCapacity(2_000 * 90)
            for j in 0..<2_000 {
                let i = file * 2_000 + j
                text += "[pod/svc\(i)-7d9f8b6c5-x2k4p/c] go package net: hostLookupOrder(db\(i).example) = cgo\n"
            }
            try Data(text.utf8).write(to: logs.appendingPathComponent("node\(file).log"))
        }
        let r = try CIGateSupport.netdnsAudit(["check", logs.path] + f.outputs, environment: f.environment)
        #expect(r.status == 1)
        let n = StreamAnalyzer.detailedInstanceLimit + StreamAnalyzer.foldedServiceLimit + 1
        let out = String(decoding: r.stdout, as: UTF8.self)
        #expect(out.split(separator: "\n").filter { $0.hasPrefix("violation: ") }.count == n)
        #expect(out.contains("\ncheck failed: \(n) violations in \(n) of \(n) services\n"))
        let p = CIGateSupport.runner(r)
        #expect(p.executed.count == 10)
        #expect(p.issues["error"]?.first?.data == "check failed: \(n) violations in \(n) of \(n) services")
        #expect(p.issues["error"]?.last?.data.hasPrefix("\(n + 1 - 9) more violations not shown") == true)
        let summary = try Data(contentsOf: URL(fileURLWithPath: f.summary))
        #expect(summary.count <= GitHubStepSummary.fileLimit)
        #expect(String(decoding: summary, as: UTF8.self).hasPrefix("## netdns-audit check: failed\n"))
        let sarif = try Data(contentsOf: URL(fileURLWithPath: f.sarif))
        #expect(try ConsumerRulesTests.githubSARIFProblems(sarif) == [])
        let results = ((try JSONSerialization.jsonObject(with: sarif) as? [String: Any])?["runs"] as? [[String: Any]])?.first?["results"] as? [Any]
        #expect(results?.count == n)
        let junit = try String(contentsOfFile: f.junit, encoding: .utf8)
        #expect(junit.contains("<testsuites name=\"netdns-audit check\" tests=\"\(n)\" failures=\"\(n)\" errors=\"0\" time=\"0\">"))
        #expect(try ConsumerRulesTests.gitlabCounts(junit) == ["failed": n])
    }

    @Test func reportsToStandardOutputAreRefused() throws {
        for option in ["--sarif", "--junit"] {
            let r = try CIGateSupport.netdnsAudit(["check", CheckFixtures.priceCLI, option, "-"])
            #expect(r.status == 2)
            #expect(r.stdout.isEmpty)
            #expect(String(decoding: r.stderr, as: UTF8.self) == "netdns-audit: \(option) -: standard output carries the findings and annotations; give a file name (see netdns-audit check --help)\n")
            #expect(!FileManager.default.fileExists(atPath: "-"))
        }
    }

    @Test func markdownGroupByNamesItsColumn() throws {
        for (grouping, header) in [("service", "Service"), ("namespace", "Namespace"), ("instance", "Instance")] {
            let r = try CIGateSupport.netdnsAudit(["analyze", "--format", "markdown", "--group-by", grouping, CheckFixtures.shop])
            #expect(r.status == 0)
            #expect(String(decoding: r.stdout, as: UTF8.self).hasPrefix("| \(header) | Instances |"), "\(grouping)")
        }
    }
}
