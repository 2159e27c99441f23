import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import NetDNSAudit
@testable import netdns_audit

/// Each CI output through a checker of its consumer's rules: SARIF against the OASIS schema and
/// GitHub code scanning's documented requirements and limits, JUnit against the Jenkins xUnit
/// XSD and GitLab's parser, the step summary against the runner's size limit and Markdown's
/// rules. On ordinary, hostile, large (30,000 services, 30,000 violations) and incomplete runs.
@Suite struct ConsumerRulesTests {
    // MARK: inputs

    static var hostileRun: CheckRun {
        get throws {
            let dir = try CIGateSupport.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let log = dir.appendingPathComponent("hostile ##[stop-commands]x.log")
            try Data(CIGateSupport.hostileLog).write(to: log)
            let analysis = Analyzer().analyze([.path(log.path), .path(dir.appendingPathComponent("missing [x](http://e.example).log").path)])
            let report = AuditReport(analysis.summary)
            let result = CheckPolicy(undetermined: .warn, expectServices: ["cart ##[add-mask]x", "https://evil.example"]).evaluate(report)
            return CheckRun(result: result, report: report, problems: analysis.errors.map(\.description), inputs: [log.path])
        }
    }

    static let large: CheckRun = {
        let report = CIGateSupport.largeReport(services: 30_000)
        return CheckRun(result: CheckPolicy().evaluate(report), report: report, inputs: ["logs"])
    }()

    static func runs() throws -> [(String, CheckRun)] {
        let billing = CheckFixtures.report(CheckFixtures.billing)
        let empty = AuditReport(AuditSummary())
        return [
            ("billing", CheckRun(result: CheckPolicy(allow: ["label-*"], failOn: [.temporary], expectServices: ["cart"]).evaluate(billing), report: billing, inputs: [CheckFixtures.billing])),
            ("stdin", CheckRun(result: CheckPolicy().evaluate(empty), report: empty, inputs: ["-"])),
            ("hostile", try hostileRun),
            ("incomplete", CheckRun(result: CheckPolicy().evaluate(billing), report: billing,
                                    problems: ["logs/gone.log: cannot open: No such file or directory", "out.sarif: cannot write: Permission denied"],
                                    inputs: ["logs/gone.log", CheckFixtures.billing])),
        ]
    }

    // MARK: SARIF

    /// GitHub code scanning's documented requirements (docs "SARIF support for code scanning"):
    /// returns what is wrong.
    static func githubSARIFProblems(_ data: Data) throws -> [String] {
        var problems: [String] = []
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let runs = root["runs"] as? [[String: Any]] else { return ["not a SARIF log"] }
        if data.count > 10 * 1024 * 1024 { problems.append("file over 10 MB before compression") }
        if runs.count > 20 { problems.append("more than 20 runs") }
        for run in runs {
            let driver = (run["tool"] as? [String: Any])?["driver"] as? [String: Any]
            let rules = driver?["rules"] as? [[String: Any]] ?? []
            if rules.count > 25_000 { problems.append("more than 25,000 rules") }
            for rule in rules {
                for key in ["shortDescription", "fullDescription", "help"] where ((rule[key] as? [String: Any])?["text"] as? String)?.isEmpty != false {
                    problems.append("rule \(rule["id"] ?? "?") without \(key).text")
                }
            }
            let ids = Set(rules.compactMap { $0["id"] as? String })
            let bases = Set((run["originalUriBaseIds"] as? [String: Any] ?? [:]).keys)
            let results = run["results"] as? [[String: Any]] ?? []
            // GitHub rejects more than 25,000 results and shows only the top 5,000.
            if results.count > 5000 { problems.append("\(results.count) results: GitHub shows only 5,000") }
            var fingerprints: Set<String> = []
            for (i, result) in results.enumerated() {
                guard let ruleId = result["ruleId"] as? String, ids.contains(ruleId) else { problems.append("result \(i): unknown ruleId"); continue }
                if ((result["message"] as? [String: Any])?["text"] as? String)?.isEmpty != false { problems.append("result \(i): no message") }
                let locations = result["locations"] as? [[String: Any]] ?? []
                if locations.isEmpty { problems.append("result \(i): no location (code scanning does not show it)") }
                if locations.count > 1000 { problems.append("result \(i): over 1,000 locations") }
                for loc in locations {
                    let physical = loc["physicalLocation"] as? [String: Any]
                    let artifact = physical?["artifactLocation"] as? [String: Any]
                    guard let uri = artifact?["uri"] as? String, !uri.isEmpty else { problems.append("result \(i): no uri"); continue }
                    guard let line = (physical?["region"] as? [String: Any])?["startLine"] as? Int, line >= 1 else {
                        problems.append("result \(i): no region.startLine"); continue
                    }
                    let absolute = uri.hasPrefix("file:///")
                    if !absolute {
                        guard let base = artifact?["uriBaseId"] as? String, bases.contains(base) else {
                            problems.append("result \(i): relative uri \(uri) without a declared uriBaseId"); continue
                        }
                        if uri.hasPrefix("/") || uri.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) {
                            problems.append("result \(i): uri \(uri) not normalised")
                        }
                    }
                    if URL(string: uri) == nil { problems.append("result \(i): uri \(uri) is not a URI reference") }
                }
                guard let fp = result["partialFingerprints"] as? [String: String], let value = fp.values.first, !value.isEmpty else {
                    problems.append("result \(i): no partialFingerprints"); continue
                }
                _ = fingerprints.insert(value)
            }
            let invocations = run["invocations"] as? [[String: Any]] ?? []
            if invocations.first?["executionSuccessful"] == nil { problems.append("no invocation with executionSuccessful") }
        }
        return problems
    }

    @Test func sarifIsValidAndShownByCodeScanning() throws {
        for (label, run) in try Self.runs() + [("large", Self.large)] {
            let data = try SARIFRenderer().render(run)
            #expect(try CIGateSupport.sarifSchemaErrors(data) == [], "\(label)")
            #expect(try Self.githubSARIFProblems(data) == [], "\(label)")
            var parser = RunnerCommandParser()
            parser.feed(data)
            #expect(parser.executed.isEmpty, "\(label): SARIF printed to a log forms a command")
        }
    }

    /// The checkers catch the defects the outputs used to have, so a pass means something.
    @Test func checkersRejectTheOldDefects() throws {
        let old = Data("""
        {"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x","rules":[{"id":"r","shortDescription":{"text":"s"}}]}},
        "results":[{"ruleId":"r","level":"error","message":{"text":"m"}},
        {"ruleId":"r","level":"error","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"./a.log"}}}]}]}]}
        """.utf8)
        #expect(try CIGateSupport.sarifSchemaErrors(old) == [])
        let problems = try Self.githubSARIFProblems(old)
        #expect(problems.contains("rule r without fullDescription.text") && problems.contains("rule r without help.text"))
        #expect(problems.contains("result 0: no location (code scanning does not show it)"))
        #expect(problems.contains("result 1: no region.startLine"))
        #expect(problems.contains("no invocation with executionSuccessful"))
        let invalid = Data("{\"version\":\"2.1.0\",\"runs\":[{\"results\":[{\"message\":{}}]}]}".utf8)
        #expect(try CIGateSupport.sarifSchemaErrors(invalid).count > 1)
        let skipped = "<testsuites tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\"><testsuite name=\"s\" tests=\"1\" failures=\"0\" errors=\"0\"><testcase name=\"a\"/></testsuite></testsuites>"
        #expect(try CIGateSupport.junitSchemaErrors(skipped).contains { $0.contains("skipped") })
        let collide = "<testsuites><testsuite name=\"s\" tests=\"2\" failures=\"2\" errors=\"0\"><testcase classname=\"services\" name=\"a\"><failure/></testcase><testcase classname=\"services\" name=\"a\"><failure/></testcase></testsuite></testsuites>"
        #expect(try Self.gitlabCounts(collide) == ["failed": 1])
        var p = RunnerCommandParser()
        p.feed(Data("violation: x: \"##[stop-commands]t\" at a.log\n::error title=netdns-audit::check failed\n".utf8))
        #expect(p.executed.map(\.name) == ["stop-commands"])
        #expect(p.issues["error"] == nil)
    }

    @Test func sarifCapsResultsWithANote() throws {
        let data = try SARIFRenderer().render(Self.large)
        let run = try #require(((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 5000)
        #expect(results.prefix(4999).allSatisfy { $0["ruleId"] as? String == "resolver-path" })
        let note = try #require(results.last)
        #expect(note["ruleId"] as? String == "results-not-shown")
        #expect((note["message"] as? [String: Any])?["text"] as? String == "25001 more findings not shown (30000 in all; a SARIF run shows at most 5000): see the output of netdns-audit check.")
        let fingerprints = Set(results.compactMap { ($0["partialFingerprints"] as? [String: String])?["netdnsAudit/v1"] })
        #expect(fingerprints.count == 5000)
        // Stable: the same run gives the same fingerprints.
        #expect(try SARIFRenderer().render(Self.large) == data)
    }

    @Test func sarifSaysIncompleteAndWhy() throws {
        let run = try Self.runs()[3].1
        let root = try #require(try JSONSerialization.jsonObject(with: try SARIFRenderer().render(run)) as? [String: Any])
        let invocation = try #require(((root["runs"] as? [[String: Any]])?.first?["invocations"] as? [[String: Any]])?.first)
        #expect(invocation["executionSuccessful"] as? Bool == false)
        #expect(invocation["exitCode"] as? Int == 2)
        let notes = try #require(invocation["toolExecutionNotifications"] as? [[String: Any]])
        #expect(notes.compactMap { ($0["message"] as? [String: Any])?["text"] as? String } == run.problems)
        #expect(notes.allSatisfy { $0["level"] as? String == "error" })
        let complete = try Self.runs()[0].1
        let ok = try JSONSerialization.jsonObject(with: try SARIFRenderer().render(complete)) as? [String: Any]
        let okInvocation = ((ok?["runs"] as? [[String: Any]])?.first?["invocations"] as? [[String: Any]])?.first
        #expect(okInvocation?["executionSuccessful"] as? Bool == true)
        #expect(okInvocation?["exitCode"] as? Int == 1)
        #expect(okInvocation?["toolExecutionNotifications"] == nil)
    }

    @Test func sarifLocatesFindingsWithoutAFile() throws {
        let dir = try CIGateSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policyPath = dir.appendingPathComponent("policy.json").path
        try Data("{\n  \"undetermined\": \"warn\",\n  \"expectServices\": [\"cart\"]\n}\n".utf8).write(to: URL(fileURLWithPath: policyPath))
        let empty = AuditReport(AuditSummary())
        var run = CheckRun(result: CheckPolicy(expectServices: ["cart"]).evaluate(empty), report: empty, inputs: ["-"])
        run.policyFile = policyPath
        run.policyKeyLines = CheckRun.keyLines(try Data(contentsOf: URL(fileURLWithPath: policyPath)))
        let renderer = SARIFRenderer(workingDirectory: dir.path)
        let root = try JSONSerialization.jsonObject(with: try renderer.render(run)) as? [String: Any]
        let results = ((root?["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]] ?? []
        let places = results.map { r -> String in
            let p = (r["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
            let uri = (p?["artifactLocation"] as? [String: Any])?["uri"] as? String ?? ""
            return "\(r["ruleId"] ?? ""):\(uri):\((p?["region"] as? [String: Any])?["startLine"] ?? 0)"
        }
        // no-input has no key in the file: line 1; expected-service at its key's line.
        #expect(places == ["expected-service:policy.json:3", "no-input:policy.json:1"])
    }

    // MARK: JUnit

    /// GitLab's JUnit reading (lib/gitlab/ci/parsers/test/junit.rb, reports/test_case.rb): the
    /// testcases it counts, by status, keyed by `suite_classname_name`.
    static func gitlabCounts(_ xml: String) throws -> [String: Int] {
        let document = try XMLDocument(xmlString: xml, options: [])
        var keys: [String: Set<String>] = [:]
        func walk(_ element: XMLElement, suite: String?) {
            for child in element.children ?? [] {
                guard let e = child as? XMLElement else { continue }
                if e.name == "testsuite" { walk(e, suite: e.attribute(forName: "name")?.stringValue) }
                if e.name == "testcase" {
                    let status = !e.elements(forName: "failure").isEmpty ? "failed" : !e.elements(forName: "error").isEmpty ? "error"
                        : !e.elements(forName: "skipped").isEmpty ? "skipped" : "success"
                    let key = "\(suite ?? "")_\(e.attribute(forName: "classname")?.stringValue ?? "")_\(e.attribute(forName: "name")?.stringValue ?? "")"
                    keys[status, default: []].insert(key)
                }
            }
        }
        if let root = document.rootElement() { walk(root, suite: nil) }
        return keys.mapValues(\.count)
    }

    @Test func junitIsValidAndEveryCaseCounts() throws {
        for (label, run) in try Self.runs() + [("large", Self.large)] {
            let xml = JUnitRenderer().render(run)
            #expect(try CIGateSupport.junitSchemaErrors(xml) == [], "\(label)")
            let document = try XMLDocument(xmlString: xml, options: [])
            let suites = try #require(document.rootElement())
            let cases = try #require(suites.elements(forName: "testsuite").first?.elements(forName: "testcase"))
            let counts = try Self.gitlabCounts(xml)
            // Every testcase is counted: no two share GitLab's key.
            #expect(counts.values.reduce(0, +) == cases.count, "\(label): \(counts)")
            #expect(suites.attribute(forName: "tests")?.stringValue == String(cases.count))
            #expect(suites.attribute(forName: "failures")?.stringValue == String(counts["failed"] ?? 0))
            #expect(suites.attribute(forName: "errors")?.stringValue == String(counts["error"] ?? 0))
            #expect(suites.attribute(forName: "errors")?.stringValue == String(run.problems.count))
            // No raw control, DEL, C1 or invisible character, and no GitLab attachment tag from a log.
            #expect(xml.unicodeScalars.allSatisfy { !TextEscaping.isControl($0.value) || $0 == "\n" } && !xml.unicodeScalars.contains { TextEscaping.isInvisibleFormat($0.value) })
            #expect(!xml.contains("[[ATTACHMENT|"))
        }
    }

    @Test func junitNamespaceNamedServicesAndLookAlikeKeysAllCount() throws {
        var summary = AuditSummary()
        for (service, namespace) in [("a", "services"), ("a", nil), ("b_c", "x"), ("c", "x_b"), ("x_b", nil)] as [(String, String?)] {
            var s = InstanceSummary(identity: InstanceIdentity(service: service, name: service + "-0", namespace: namespace))
            s.files = ["f.log"]; s.lines = 1; s.traceLines = 1; s.debugLevel = 2
            s.forwardOrders.add(.cgo)
            summary.instances[s.identity] = s
        }
        let report = AuditReport(summary)
        let xml = JUnitRenderer().render(CheckRun(result: CheckPolicy().evaluate(report), report: report))
        #expect(try Self.gitlabCounts(xml) == ["failed": 5])
        #expect(try CIGateSupport.junitSchemaErrors(xml) == [])
    }

    @Test func junitSaysIncompleteAndNoInputFails() throws {
        let run = try Self.runs()[3].1
        let xml = JUnitRenderer().render(run)
        let document = try XMLDocument(xmlString: xml, options: [])
        let cases = document.rootElement()?.elements(forName: "testsuite").first?.elements(forName: "testcase") ?? []
        let errors = cases.filter { !$0.elements(forName: "error").isEmpty }
        #expect(errors.map { $0.attribute(forName: "name")?.stringValue ?? "" } == run.problems.map { "unread: " + $0 })
        #expect(errors.allSatisfy { $0.attribute(forName: "classname")?.stringValue == "netdns-audit.input" })
        #expect(try Self.gitlabCounts(xml)["error"] == 2)
        let empty = AuditReport(AuditSummary())
        let none = JUnitRenderer().render(CheckRun(result: CheckPolicy().evaluate(empty), report: empty))
        #expect(none.contains("<testcase classname=\"netdns-audit.input\" name=\"no-input\" time=\"0\">\n      <failure message=\"no-input: the input shows no service\" type=\"no-input\">"))
        #expect(try Self.gitlabCounts(none) == ["failed": 1])
    }

    // MARK: step summary

    @Test func stepSummaryStaysUnderTheRunnerLimitAndLinksNothing() throws {
        for (label, run) in try Self.runs() + [("large", Self.large)] {
            let text = GitHubStepSummary().render(run)
            #expect(text.utf8.count <= GitHubStepSummary.fileLimit, "\(label)")
            #expect(text.hasPrefix("## netdns-audit check: \(run.status)\n"), "\(label)")
            let outside = MarkdownSyntax.outsideCodeSpans(text)
            // What is Markdown at all is ours: no URL, domain or address a renderer could link, no HTML but ours.
            for needle in ["http", "www.", "@", "](", "<script", "[[", "%0A"] {
                #expect(!outside.contains(needle), "\(label): \(needle)")
            }
            #expect(Self.htmlTags(outside).allSatisfy { ["<details>", "<summary>", "</summary>", "</details>"].contains($0) }, "\(label)")
        }
        let large = GitHubStepSummary().render(Self.large)
        #expect(large.contains("_Not shown, to keep the step summary under GitHub's 1 MiB limit: "))
        #expect(large.utf8.count > 900_000)
        // The file's own earlier content counts: only what is left of 1 MiB is used.
        let dir = try CIGateSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("summary.md").path
        try Data(repeating: UInt8(ascii: "x"), count: 1_000_000).write(to: URL(fileURLWithPath: path))
        #expect(try GitHubStepSummary.append(Self.large, to: path))
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(size <= GitHubStepSummary.fileLimit && size > 1_040_000)
        let full = dir.appendingPathComponent("full.md").path
        try Data(repeating: UInt8(ascii: "x"), count: GitHubStepSummary.fileLimit).write(to: URL(fileURLWithPath: full))
        #expect(try !GitHubStepSummary.append(Self.large, to: full))
    }

    static func htmlTags(_ text: String) -> [String] {
        var tags: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            let end = rest[open...].firstIndex(of: ">") ?? rest.endIndex
            tags.append(String(rest[open..<(end == rest.endIndex ? end : rest.index(after: end))]))
            rest = end == rest.endIndex ? "" : rest[rest.index(after: end)...]
        }
        return tags
    }

    @Test func stepSummaryHeadsAnIncompleteRun() throws {
        let run = try Self.runs()[3].1
        let text = GitHubStepSummary().render(run)
        #expect(text.hasPrefix("## netdns-audit check: incomplete\n\n⚠️ check incomplete: 2 inputs or outputs could not be read or written (exit code 2); check failed: "))
        #expect(text.contains("- `logs/gone.log: cannot open: No such file or directory`\n- `out.sarif: cannot write: Permission denied`\n"))
    }

    // MARK: annotations

    @Test func annotationsPutTheVerdictFirstAndCapEachType() throws {
        for (label, run) in try Self.runs() + [("large", Self.large)] {
            let text = GitHubAnnotations().render(run)
            var p = RunnerCommandParser()
            p.feed(Data(text.utf8))
            #expect(p.executed.count == text.split(separator: "\n").count, "\(label)")
            for (type, issues) in p.issues { #expect(issues.count <= 10, "\(label) \(type)") }
            #expect(text.split(separator: "\n").filter { $0.hasPrefix("::error") }.count <= 10)
            #expect(text.split(separator: "\n").filter { $0.hasPrefix("::warning") }.count <= 10)
            let first = try #require(p.executed.first)
            #expect(first.properties["title"] == "netdns-audit check \(run.status)", "\(label)")
            #expect(first.data.hasPrefix(run.headline), "\(label)")
            #expect(p.executed.allSatisfy { $0.data.utf16.count <= 4096 })
        }
        let large = GitHubAnnotations().render(Self.large).split(separator: "\n").map(String.init)
        #expect(large.count == 10)
        #expect(large.last == "::error title=netdns-audit%3A 29992 more not shown::29992 more violations not shown here (GitHub keeps 10 annotations of each type per step): see the job log, the step summary or the SARIF report")
    }

    @Test func annotationFileIsTheRealPath() {
        #expect(GitHubAnnotations.annotationPath("./logs//a b.log") == "logs/a b.log")
        #expect(GitHubAnnotations.annotationPath("/w/./x.log") == "/w/x.log")
        #expect(GitHubAnnotations.annotationPath("logs/ünï ✓,:%.log") == "logs/ünï ✓,:%.log")
        #expect(GitHubAnnotations.annotationPath("logs/a\u{1B}[2J.log") == nil)
        #expect(GitHubAnnotations.annotationPath("logs/a\u{202E}.log") == nil)
        #expect(GitHubAnnotations.annotationPath("-") == nil)
        let report = CheckFixtures.hostileReport(service: "svc", namespace: nil, file: "./logs/a,b:c%##[x].log", evidence: "go package net: x = cgo")
        let run = CheckRun(result: CheckPolicy().evaluate(report), report: report)
        var p = RunnerCommandParser()
        p.feed(Data(GitHubAnnotations().render(run).utf8))
        #expect(p.executed.count == 2)
        #expect(p.executed.last?.properties["file"] == "logs/a,b:c%##[x].log")
        #expect(p.executed.last?.properties["line"] == "7")
    }
}
