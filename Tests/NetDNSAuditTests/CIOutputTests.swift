import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import NetDNSAudit
@testable import netdns_audit

@Suite struct CIOutputTests {
    let billing = CheckFixtures.report(CheckFixtures.billing)

    // MARK: human output

    @Test func humanOutputNamesServiceInstanceRuleEvidenceAndPlace() {
        let text = CheckHumanRenderer().render(CheckPolicy().evaluate(CheckFixtures.report(CheckFixtures.shop)))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0] == "violation: inventory (instance inventory-6b7c9d8f5-h7j2k): resolver-path: resolves through cgo (libc getaddrinfo), verdict cgo: \"go package net: hostLookupOrder(auth.corp.example.net) = cgo\" at \(CheckFixtures.shop):47")
        #expect(lines[2] == "check failed: 2 violations in 1 of 4 services")
    }

    @Test func humanOutputListsWarningsAndAllowed() {
        let text = CheckHumanRenderer().render(CheckPolicy(allow: ["label-*"]).evaluate(billing))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("violation: ") }.count == 3)
        #expect(lines.filter { $0.hasPrefix("warning: fx-rates ") }.count == 1)
        #expect(lines.contains("allowed: label-service: verdict mixed, exempt from resolver-path (--allow 'label-*')"))
        #expect(lines.last == "check failed: 3 violations in 2 of 6 services (1 warning, 1 allowed)")
    }

    // MARK: JUnit

    #if canImport(FoundationXML) || canImport(Darwin)
    @Test func junitParsesWithOneTestcasePerService() throws {
        let result = CheckPolicy(allow: ["label-*"], expectServices: ["cart"]).evaluate(billing)
        let xml = JUnitRenderer().render(result)
        let document = try XMLDocument(xmlString: xml, options: [])
        let suites = try #require(document.rootElement())
        #expect(suites.name == "testsuites")
        let suite = try #require(suites.elements(forName: "testsuite").first)
        #expect(suite.attribute(forName: "tests")?.stringValue == "7")
        #expect(suite.attribute(forName: "failures")?.stringValue == "3")
        #expect(suite.attribute(forName: "errors")?.stringValue == "0")
        #expect(suite.attribute(forName: "skipped")?.stringValue == "0")
        let cases = suite.elements(forName: "testcase")
        #expect(cases.map { $0.attribute(forName: "name")?.stringValue ?? "" } ==
            ["billing-api", "billing-worker", "fx-rates", "label-service", "ledger", "session-store", "cart"])
        #expect(cases.allSatisfy { $0.attribute(forName: "classname")?.stringValue == "netdns-audit" })
        let failing = cases.filter { !$0.elements(forName: "failure").isEmpty }.map { $0.attribute(forName: "name")?.stringValue ?? "" }
        #expect(failing == ["ledger", "session-store", "cart"])
        let ledger = cases[4].elements(forName: "failure")[0]
        #expect(ledger.attribute(forName: "type")?.stringValue == "resolver-path")
        #expect(ledger.attribute(forName: "message")?.stringValue == "2 violations: resolver-path")
        #expect(ledger.stringValue?.contains("go package net: using the cgo DNS resolver") == true)
        #expect(ledger.stringValue?.contains("billing-prefix-timestamps.log:40)") == true)
        let allowedOut = cases[3].elements(forName: "system-out").first?.stringValue ?? ""
        #expect(allowedOut.contains("allowed by --allow 'label-*'"))
        let warnedOut = cases[2].elements(forName: "system-out").first?.stringValue ?? ""
        #expect(warnedOut.contains("warning: undetermined"))
    }

    @Test func junitEscapesHostileNamesAndKeepsThemExact() throws {
        let name = "a<b>&\"c'"
        let report = CheckFixtures.hostileReport(service: name, namespace: "ns&<x>", file: "f.log", evidence: "go package net: x\u{1}y\u{1B}[31m = cgo]]>")
        let xml = JUnitRenderer().render(CheckPolicy().evaluate(report))
        #expect(!xml.contains("\u{1}") && !xml.contains("\u{1B}"))
        let document = try XMLDocument(xmlString: xml, options: [])
        let testcase = try #require(document.rootElement()?.elements(forName: "testsuite").first?.elements(forName: "testcase").first)
        #expect(testcase.attribute(forName: "name")?.stringValue == name)
        #expect(testcase.attribute(forName: "classname")?.stringValue == "netdns-audit/ns&<x>")
        let failure = try #require(testcase.elements(forName: "failure").first)
        #expect(failure.stringValue?.contains("x\\x01y\\x1b[31m = cgo]]>") == true)
    }
    #endif

    @Test func xmlEscapingCoversSpecialAndInvalidCharacters() {
        #expect(JUnitRenderer.escape("&<>\"'") == "&amp;&lt;&gt;&quot;&apos;")
        #expect(JUnitRenderer.escape("a\tb\nc\rd") == "a&#9;b&#10;c&#13;d")
        #expect(JUnitRenderer.escape("\u{0}\u{8}\u{1F}\u{FFFE}ok") == "\\x00\\x08\\x1f\\xfffeok")
        #expect(JUnitRenderer.escape("ünïcødé ✓") == "ünïcødé ✓")
    }

    // MARK: GitHub annotations and step summary

    @Test func annotationEscaping() {
        #expect(GitHubAnnotations.escapeData("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d")
        #expect(GitHubAnnotations.escapeProperty("100% a\r\nb: c, d") == "100%25 a%0D%0Ab%3A c%2C d")
    }

    @Test func annotationsForFindings() {
        let report = CheckFixtures.hostileReport(service: "svc,a:b", namespace: nil, file: "logs/a,b:c%.log", evidence: "go package net: x = cgo")
        let out = GitHubAnnotations().render(CheckRun(result: CheckPolicy().evaluate(report), report: report))
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0] == "::error title=netdns-audit check failed::check failed: 1 violation in 1 of 1 service")
        #expect(lines[1] == "::error file=logs/a%2Cb%3Ac%25.log,line=7,title=netdns-audit resolver-path%3A svc%2Ca%3Ab::svc,a:b (instance svc,a:b-0): resolves through cgo (libc getaddrinfo), verdict cgo%0Aevidence: go package net: x = cgo%0Aat logs/a,b:c%25.log:7")
        let warn = GitHubAnnotations().render(CheckRun(result: CheckPolicy().evaluate(billing), report: billing)).split(separator: "\n").filter { $0.hasPrefix("::warning ") }
        #expect(warn.count == 1)
    }

    @Test func stepSummaryIsAppended() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-audit-summary-\(UUID().uuidString).md").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("# earlier step\n".utf8).write(to: URL(fileURLWithPath: path))
        let result = CheckPolicy().evaluate(billing)
        try GitHubStepSummary.append(CheckRun(result: result, report: billing), to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("# earlier step\n## netdns-audit check: failed\n"))
        #expect(text.contains("❌ check failed: 4 violations in 3 of 6 services (1 warning)"))
        #expect(text.contains("| `ledger` | **cgo** | **failed** | `resolver-path` `resolver-path` |"))
        #expect(text.contains("| `fx-rates` | _undetermined_ | passed (warning) | `undetermined` |"))
        #expect(text.contains("### Violations"))
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("- `") }.count == 5)
    }

    // MARK: Markdown

    @Test func markdownTableHasOneRowPerService() {
        let text = MarkdownRenderer().render(billing)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| ") }
        #expect(rows.count == 8)
        #expect(rows.contains { $0.hasPrefix("| `ledger` | 2 | 2 | **cgo** | 0 | 6 | 10 | 5 | 0 | 0 | 0 | 5 | 0 | glibc |") })
    }

    @Test func markdownEscaping() {
        #expect(MarkdownRenderer.escape("a|b") == "a\\|b")
        #expect(MarkdownRenderer.escape("`x`") == "\\`x\\`")
        #expect(MarkdownRenderer.escape("<script>&") == "&lt;script&gt;&amp;")
        #expect(MarkdownRenderer.escape("a\nb\u{1B}") == "a\\\\x0ab\\\\x1b")
        #expect(MarkdownRenderer.escape("*_[]") == "\\*\\_\\[\\]")
        let report = CheckFixtures.hostileReport(service: "x|y", namespace: nil, file: "f", evidence: "e")
        let row = MarkdownRenderer().render(report).split(separator: "\n")[2]
        #expect(row.hasPrefix("| `x\\x7cy` | 1 |"))
    }

    // MARK: SARIF

    @Test func sarifParsesBack() throws {
        let result = CheckPolicy(failOn: [.temporary]).evaluate(billing)
        let data = try SARIFRenderer().render(result)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(root["version"] as? String == "2.1.0")
        #expect(root["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "netdns-audit")
        #expect(driver["version"] as? String == NetDNSAuditVersion.current)
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == PolicyRule.allCases.map(\.id) + ["results-not-shown"])
        #expect(rules.allSatisfy { (($0["shortDescription"] as? [String: Any])?["text"] as? String)?.isEmpty == false })
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 6)
        #expect(results.filter { $0["level"] as? String == "error" }.count == 5)
        #expect(results.filter { $0["level"] as? String == "warning" }.count == 1)
        #expect(results.compactMap { $0["ruleId"] as? String }.sorted() ==
            ["fail-on", "resolver-path", "resolver-path", "resolver-path", "resolver-path", "undetermined"])
        let located = results.first { ($0["message"] as? [String: Any])?["text"] as? String == "ledger (instance ledger-0): resolves through cgo (libc getaddrinfo), verdict cgo. Evidence: go package net: using the cgo DNS resolver" }
        let physical = try #require(((located?["locations"] as? [[String: Any]])?.first)?["physicalLocation"] as? [String: Any])
        #expect((physical["region"] as? [String: Any])?["startLine"] as? Int == 40)
        #expect(((physical["artifactLocation"] as? [String: Any])?["uri"] as? String)?.hasSuffix("Fixtures/check/billing-prefix-timestamps.log") == true)
    }

    @Test func sarifOmitsLocationsWithoutFile() throws {
        let result = CheckPolicy(expectServices: ["cart"]).evaluate(CheckFixtures.report(CheckFixtures.priceCLI))
        let root = try JSONSerialization.jsonObject(with: try SARIFRenderer().render(result)) as? [String: Any]
        let results = ((root?["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]]
        #expect(results?.count == 1)
        // No file: the pseudo-file standard-input, line 1.
        let physical = (results?.first?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
        #expect((physical?["artifactLocation"] as? [String: Any])?["uri"] as? String == "standard-input")
        #expect((physical?["artifactLocation"] as? [String: Any])?["uriBaseId"] as? String == "%SRCROOT%")
        #expect((physical?["region"] as? [String: Any])?["startLine"] as? Int == 1)
        #expect(SARIFRenderer.uri("logs/a b#1.log", workingDirectory: "/w") == "logs/a%20b%231.log")
        #expect(SARIFRenderer.uri("./logs/../x.log", workingDirectory: "/w") == "x.log")
        #expect(SARIFRenderer.uri("../x.log", workingDirectory: "/w/repo") == "file:///w/x.log")
        #expect(SARIFRenderer.uri("/var/log/x.log", workingDirectory: "/w") == "file:///var/log/x.log")
        #expect(SARIFRenderer.uri("/w/a:b.log", workingDirectory: "/w") == "a%3Ab.log")
    }
}
