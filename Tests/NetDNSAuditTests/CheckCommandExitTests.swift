import Foundation
import Testing

/// Runs the built `netdns-audit check` and checks exit codes and files written.
@Suite struct CheckCommandExitTests {
    /// The executable `swift build` put next to the test bundle (`.build/<config>/netdns-audit`).
    static var executable: URL? {
        var candidates: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        if let main = Bundle.main.executableURL { candidates.append(main.deletingLastPathComponent()) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug"))
        for dir in candidates {
            var d = dir
            // The bundle may be a directory (`.xctest/Contents/MacOS`): walk up a few levels.
            for _ in 0..<4 {
                let candidate = d.appendingPathComponent("netdns-audit")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    return candidate
                }
                d = d.deletingLastPathComponent()
            }
        }
        return nil
    }

    struct Run { var status: Int32; var stdout: String; var stderr: String }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["GITHUB_ACTIONS"] = nil
        env["GITHUB_STEP_SUMMARY"] = nil
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("netdns-audit-\(UUID().uuidString)-\(name)").path
    }

    @Test func violationExitsOne() throws {
        let r = try run(["check", CheckFixtures.shop])
        #expect(r.status == 1)
        #expect(r.stdout.contains("violation: inventory (instance inventory-6b7c9d8f5-h7j2k): resolver-path"))
        #expect(r.stdout.hasSuffix("check failed: 2 violations in 1 of 4 services\n"))
    }

    @Test func passingExitsZero() throws {
        let r = try run(["check", CheckFixtures.priceCLI])
        #expect(r.status == 0)
        #expect(r.stdout == "check passed: 1 service\n")
    }

    @Test func unreadableInputExitsTwoEvenWhenPoliciesHold() throws {
        let missing = temporaryPath("missing.log")
        let r = try run(["check", CheckFixtures.priceCLI, missing])
        #expect(r.status == 2)
        #expect(r.stderr.contains(missing))
        #expect(r.stdout.contains("check passed: 1 service"))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try run(["check", "--undetermined", "maybe", CheckFixtures.priceCLI]).status == 2)
        #expect(try run(["check", "--fail-on", "dns", CheckFixtures.priceCLI]).status == 2)
        #expect(try run(["check", "--max-failures", "-1", CheckFixtures.priceCLI]).status == 2)
        #expect(try run(["check", "--bogus", CheckFixtures.priceCLI]).status == 2)
    }

    @Test func flagsOverridePolicyFile() throws {
        let policy = temporaryPath("policy.json")
        defer { try? FileManager.default.removeItem(atPath: policy) }
        try Data(#"{"allow": ["inventory"], "failOn": ["refused"]}"#.utf8).write(to: URL(fileURLWithPath: policy))
        let fromFile = try run(["check", "--policy", policy, CheckFixtures.shop])
        #expect(fromFile.status == 1)
        #expect(fromFile.stdout.hasSuffix("check failed: 1 violation in 1 of 4 services (1 allowed)\n"))
        let overridden = try run(["check", "--policy", policy, "--fail-on", "nodata", CheckFixtures.shop])
        #expect(overridden.status == 0)
        try Data(#"{"allow": "inventory"}"#.utf8).write(to: URL(fileURLWithPath: policy))
        #expect(try run(["check", "--policy", policy, CheckFixtures.shop]).status == 2)
    }

    @Test func savedReportsAreMergedWithInputs() throws {
        let saved = temporaryPath("shop.json")
        defer { try? FileManager.default.removeItem(atPath: saved) }
        let analyze = Process()
        analyze.executableURL = Self.executable
        analyze.arguments = ["analyze", "--format", "json", CheckFixtures.shop]
        _ = FileManager.default.createFile(atPath: saved, contents: nil)
        analyze.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: saved))
        try analyze.run()
        analyze.waitUntilExit()
        let r = try run(["check", "--summary", saved, CheckFixtures.priceCLI, "--allow", "inventory"])
        #expect(r.status == 0)
        #expect(r.stdout.hasSuffix("check passed: 5 services (1 allowed)\n"))
        let bad = try run(["check", "--summary", CheckFixtures.priceCLI])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("not a netdns-audit JSON report"))
    }

    @Test func writesJUnitSARIFAndGitHubOutputs() throws {
        let junit = temporaryPath("junit.xml"), sarif = temporaryPath("out.sarif"), summary = temporaryPath("summary.md")
        defer { for p in [junit, sarif, summary] { try? FileManager.default.removeItem(atPath: p) } }
        let r = try run(["check", CheckFixtures.shop, "--junit", junit, "--sarif", sarif],
                        environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary])
        #expect(r.status == 1)
        #expect(r.stdout.split(separator: "\n").filter { $0.hasPrefix("::error ") }.count == 3)
        #expect(try String(contentsOfFile: junit, encoding: .utf8).contains("<testcase classname=\"netdns-audit\" name=\"inventory\""))
        #expect(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarif))) is [String: Any])
        #expect(try String(contentsOfFile: summary, encoding: .utf8).hasPrefix("## netdns-audit check: failed"))
        let quiet = try run(["check", CheckFixtures.shop, "--no-github"], environment: ["GITHUB_ACTIONS": "true"])
        #expect(!quiet.stdout.contains("::error"))
    }

    @Test func analyzeMarkdownFormat() throws {
        let r = try run(["analyze", "--format", "markdown", CheckFixtures.shop])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("| Service | Instances |"))
        #expect(r.stdout.contains("| `inventory` | 2 | 2 | **cgo** |"))
    }
}
