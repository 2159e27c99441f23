import Foundation
import Testing
@testable import NetDNSAudit
@testable import netdns_audit

/// `check`'s standard output and standard error as the GitHub Actions runner reads them
/// (``RunnerCommandParser``): only the annotations `check` means are commands, in every mode
/// and for every byte and command prefix a log can hold.
@Suite struct RunnerCommandTests {
    // MARK: the port, against the runner's own unit tests (ActionCommandL0.cs)

    @Test func portParsesTheRunnerTestVectors() {
        let names: Set<String> = ["do-something"]
        var c = RunnerCommandParser.tryParse("##[do-something k1=v1;]msg", names)
        #expect(c == .init(name: "do-something", properties: ["k1": "v1"], data: "msg", legacy: true))
        c = RunnerCommandParser.tryParse("##[do-something k1=%3B=%0D=%0A=%5D;]%3B-%0D-%0A-%5D", names)
        #expect(c == .init(name: "do-something", properties: ["k1": ";=\r=\n=]"], data: ";-\r-\n-]", legacy: true))
        c = RunnerCommandParser.tryParse("##[do-something k1=%253B=%250D=%250A=%255D;]%253B-%250D-%250A-%255D", names)
        #expect(c == .init(name: "do-something", properties: ["k1": "%3B=%0D=%0A=%5D"], data: "%3B-%0D-%0A-%5D", legacy: true))
        c = RunnerCommandParser.tryParse("##[do-something k1=;k2=;]", names)
        #expect(c == .init(name: "do-something", properties: [:], data: "", legacy: true))
        c = RunnerCommandParser.tryParse(">>>   ##[do-something k1=v1;]msg", names)
        #expect(c?.data == "msg" && c?.properties == ["k1": "v1"])
        c = RunnerCommandParser.tryParseV2("::do-something k1=v1,::msg", names)
        #expect(c == .init(name: "do-something", properties: ["k1": "v1"], data: "msg", legacy: false))
        c = RunnerCommandParser.tryParseV2("::do-something k1=;=%2C=%0D=%0A=]=%3A,::;-%0D-%0A-]-:-,", names)
        #expect(c == .init(name: "do-something", properties: ["k1": ";=,=\r=\n=]=:"], data: ";-\r-\n-]-:-,", legacy: false))
        c = RunnerCommandParser.tryParseV2("::do-something k1=;=%252C=%250D=%250A=]=%253A,::;-%250D-%250A-]-:-,", names)
        #expect(c == .init(name: "do-something", properties: ["k1": ";=%2C=%0D=%0A=]=%3A"], data: ";-%0D-%0A-]-:-,", legacy: false))
        c = RunnerCommandParser.tryParseV2("::do-something k1=,k2=,::", names)
        #expect(c == .init(name: "do-something", properties: [:], data: "", legacy: false))
        c = RunnerCommandParser.tryParseV2("   ::do-something k1=v1,::msg", names)
        #expect(c?.data == "msg")
        #expect(RunnerCommandParser.tryParseV2("   >>>   ::do-something k1=v1,::msg", names) == nil)
        #expect(RunnerCommandParser.tryParseV2("::do-something k1=v1", names) == nil)
        #expect(RunnerCommandParser.tryParseV2("::other::x", names) == nil)
    }

    @Test func portFollowsStopCommandsAndTheIssueCap() {
        var p = RunnerCommandParser()
        p.process("violation: x ##[stop-commands]tok")
        p.process("::error::lost")
        p.process("::tok::")
        p.process("::error::kept")
        #expect(p.executed.map(\.name) == ["stop-commands", "tok", "error"])
        #expect(p.issues["error"]?.map(\.data) == ["kept"])
        for i in 0..<12 { p.process("::warning::w\(i)") }
        #expect(p.issues["warning"]?.count == 10)
        #expect(RunnerCommandParser.lines(Data("a\rb\r\nc\nd".utf8)) == ["a", "b", "c", "d"])
        // Ignorable characters do not hide a command from the culture-sensitive search.
        var q = RunnerCommandParser()
        q.process("x #\u{200B}#[add-mask]s")
        #expect(q.executed.map(\.name) == ["add-mask"])
    }

    // MARK: the escaping

    @Test func terminalSafeBreaksEveryCommandForm() {
        #expect(TextEscaping.terminalSafe("a ##[stop-commands]x") == "a ##\\x5bstop-commands]x")
        #expect(TextEscaping.terminalSafe("###[x") == "###\\x5bx")
        #expect(TextEscaping.terminalSafe("::error::x") == "\\x3a:error::x")
        #expect(TextEscaping.terminalSafe("  ::error::x") == "  \\x3a:error::x")
        #expect(TextEscaping.terminalSafe("\u{3000}::error::x") == "\u{3000}\\x3a:error::x")
        #expect(TextEscaping.terminalSafe("dial udp [::1]:53") == "dial udp [::1]:53")
        #expect(TextEscaping.terminalSafe("#\u{200B}#[x") == "#\\u{200b}#[x")
        #expect(TextEscaping.terminalSafe("##\u{AD}[x") == "##\\u{00ad}[x")
        #expect(TextEscaping.terminalSafe("a\u{E0041}b\u{FE0F}") == "a\\u{e0041}b\\u{fe0f}")
        #expect(TextEscaping.terminalSafe("plain # [text]") == "plain # [text]")
        let json = String(decoding: JSONOutputEscaping.terminalSafe(Data("{\"a\":\"##[x \u{E0041}\"}".utf8)), as: UTF8.self)
        #expect(json == "{\"a\":\"##\\u005bx \\udb40\\udc41\"}")
        #expect((try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String])?["a"] == "##[x \u{E0041}")
    }

    /// Random texts built from the pieces commands are made of: escaped, no arrangement of
    /// them forms a command, whether the text is inside a line, at its start (a table row), or
    /// split over two fields of one line.
    @Test func noEscapedTextFormsACommand() {
        let pieces = ["#", "##", "[", "]", "::", ":", " ", "\u{3000}", "\u{200B}", "\u{00AD}", "\u{FEFF}", "\u{2028}", "\r", "\n", "\u{85}",
                      "%", "%0A", "%3A", "stop-commands", "add-mask", "error", "warning", "ERROR", "echo", "x", "=", ",", ";",
                      "\u{1B}", "\u{9B}", "\u{0}", "\u{FFFD}", "\u{E0041}", "\u{202E}"]
        var rng = SplitMix64(seed: 14)
        var formed: [String] = []
        for _ in 0..<20_000 {
            var a = "", b = ""
            for _ in 0..<Int.random(in: 1...8, using: &rng) { a += pieces.randomElement(using: &rng)! }
            for _ in 0..<Int.random(in: 1...8, using: &rng) { b += pieces.randomElement(using: &rng)! }
            let ea = TextEscaping.terminalSafe(a), eb = TextEscaping.terminalSafe(b)
            for line in ["violation: \(ea) (instance \(eb)): rule", ea + "  " + eb, ea, "netdns-audit: " + ea + eb] {
                var p = RunnerCommandParser()
                p.feed(Data((line + "\n").utf8))
                if !p.executed.isEmpty { formed.append(line) }
            }
        }
        #expect(formed.isEmpty, "\(formed.prefix(5))")
        // Without the escaping, the same generator forms commands: the test can fail.
        var raw = 0
        for _ in 0..<2_000 {
            var a = ""
            for _ in 0..<Int.random(in: 1...8, using: &rng) { a += pieces.randomElement(using: &rng)! }
            var p = RunnerCommandParser()
            p.feed(Data(("x " + a + "\n").utf8))
            raw += p.executed.count
        }
        #expect(raw > 0)
    }

    // MARK: the executable

    /// Which commands the output forms: exactly `expected` annotations, none of them legacy, no
    /// other command.
    func expectOnlyAnnotations(_ output: CIGateSupport.Output, annotations expected: Int, _ label: String) {
        let parser = CIGateSupport.runner(output)
        let names = parser.executed.map { $0.name.lowercased() }
        #expect(parser.executed.allSatisfy { !$0.legacy }, "\(label): legacy command \(parser.executed.filter(\.legacy))")
        #expect(names.allSatisfy { ["error", "warning", "notice"].contains($0) }, "\(label): \(names)")
        #expect(parser.executed.count == expected, "\(label): \(parser.executed.count) commands")
        #expect(parser.stopToken == nil, "\(label)")
        let stdoutCommands = RunnerCommandParser.lines(output.stdout).filter { $0.hasPrefix("::") }.count
        #expect(stdoutCommands == expected, "\(label)")
    }

    @Test func hostileLogFormsNoCommandInAnyMode() throws {
        let dir = try CIGateSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("hostile.log")
        try Data(CIGateSupport.hostileLog).write(to: log)
        let summaryFile = dir.appendingPathComponent("summary.md").path
        let base = ["check", "--max-failures", "0", "--undetermined", "warn", log.path]
        // Without GitHub output: no command at all.
        for extra in [[], ["--no-github"]] {
            let r = try CIGateSupport.netdnsAudit(base + extra, environment: extra.isEmpty ? [:] : ["GITHUB_ACTIONS": "true"])
            #expect(r.status == 1)
            expectOnlyAnnotations(r, annotations: 0, "\(extra)")
            let text = String(decoding: r.stdout, as: UTF8.self)
            #expect(text.split(separator: "\n").filter { $0.hasPrefix("violation: ") }.count == 287)
        }
        // With GitHub output: the verdict first, then at most 10 errors in all.
        let r = try CIGateSupport.netdnsAudit(base + ["--github"], environment: ["GITHUB_STEP_SUMMARY": summaryFile])
        #expect(r.status == 1)
        let parser = CIGateSupport.runner(r)
        let errors = parser.issues["error"] ?? []
        #expect(errors.count == 10)
        #expect(errors.first?.properties["title"] == "netdns-audit check failed")
        #expect(errors.first?.data.hasPrefix("check failed: ") == true)
        #expect(errors.last?.data.contains("more violations not shown") == true)
        expectOnlyAnnotations(r, annotations: 10 + (parser.issues["warning"]?.count ?? 0), "--github")
    }

    @Test func hostileFileNamesFormNoCommand() throws {
        let dir = try CIGateSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tree = try CIGateSupport.hostileFileTree(in: dir)
        for extra in [["--no-github"], ["--github"]] {
            let r = try CIGateSupport.netdnsAudit(["check", tree.path] + extra)
            #expect(r.status == 1 || r.status == 2, "\(r.status)")
            let violations = String(decoding: r.stdout, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("violation: ") }
            // 126 names of valid UTF-8 and the prefixes are read; the 128 others are refused (exit 2).
            #expect(r.status == 2)
            #expect(violations.count == 126 + CIGateSupport.commandPrefixes.count)
            #expect(String(decoding: r.stderr, as: UTF8.self).split(separator: "\n").filter { $0.hasSuffix("file name is not valid UTF-8, skipped") }.count == 128)
            let parser = CIGateSupport.runner(r)
            let expected = extra == ["--github"] ? (parser.issues["error"]?.count ?? -1) : 0
            expectOnlyAnnotations(r, annotations: expected, "\(extra)")
            if extra == ["--github"] { #expect(expected == 10) }
        }
    }

    /// Every finding of the hostile inputs, one annotation at a time: each parses to exactly one
    /// command with the intended level, message and real path.
    @Test func everyHostileAnnotationParsesAsMeant() throws {
        let dir = try CIGateSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tree = try CIGateSupport.hostileFileTree(in: dir)
        let log = dir.appendingPathComponent("hostile.log")
        try Data(CIGateSupport.hostileLog).write(to: log)
        let analysis = Analyzer().analyze([.path(tree.path), .path(log.path)])
        let report = AuditReport(analysis.summary)
        let run = CheckRun(result: CheckPolicy(undetermined: .fail, maxFailures: 0).evaluate(report), report: report, problems: analysis.errors.map(\.description))
        let findings = run.orderedFindings
        // 147 files (126 valid names, 21 prefixes) and the log's 298 lines: 445 findings, 409 of them at a path free of controls.
        #expect(findings.count == 445)
        var withFile = 0
        for f in findings {
            let line = GitHubAnnotations().command(f, run: run)
            #expect(line.hasSuffix("\n") && line.dropLast().allSatisfy { $0 != "\n" && $0 != "\r" })
            var p = RunnerCommandParser()
            p.feed(Data(line.utf8))
            #expect(p.executed.count == 1)
            guard let c = p.executed.first else { continue }
            #expect(c.name == (f.severity == .violation ? "error" : "warning"))
            #expect(!c.legacy)
            #expect(c.data.hasPrefix(TextEscaping.terminalSafe(CheckRun.subject(f)) + ": " + f.message))
            #expect(c.properties["title"]?.hasPrefix("netdns-audit \(f.rule.id): ") == true)
            if let file = c.properties["file"] {
                withFile += 1
                #expect(file == GitHubAnnotations.annotationPath(f.location?.file ?? ""))
                #expect(f.location.map { URL(fileURLWithPath: $0.file).standardized.path } == URL(fileURLWithPath: file).standardized.path)
            }
            // What the message shows holds no command for a later parse either.
            var inner = RunnerCommandParser()
            for l in c.data.split(separator: "\n") { inner.process(String(l)) }
            #expect(inner.executed.isEmpty, "\(c.data)")
        }
        #expect(withFile == 409)
    }

    @Test func invalidPolicyUnderActionsIsAnError() throws {
        let dir = try CIGateSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("policy.json")
        try Data("{\"maxFailures\": -1, \"##[stop-commands]x\": 1}".utf8).write(to: policy)
        let r = try CIGateSupport.netdnsAudit(["check", "--policy", policy.path, CheckFixtures.shop], environment: ["GITHUB_ACTIONS": "true"])
        #expect(r.status == 2)
        let p = CIGateSupport.runner(r)
        #expect(p.executed.map(\.name) == ["error"])
        #expect(p.issues["error"]?.first?.data.contains("invalid policy file") == true)
        // A bad option value too (refused while parsing).
        let option = try CIGateSupport.netdnsAudit(["check", "--undetermined", "##[add-mask]x", CheckFixtures.shop], environment: ["GITHUB_ACTIONS": "true"])
        #expect(option.status == 2)
        #expect(CIGateSupport.runner(option).executed.map(\.name) == ["error"])
        let quiet = try CIGateSupport.netdnsAudit(["check", "--no-github", "--policy", policy.path, CheckFixtures.shop], environment: ["GITHUB_ACTIONS": "true"])
        #expect(quiet.status == 2)
        #expect(CIGateSupport.runner(quiet).executed.isEmpty)
    }
}
