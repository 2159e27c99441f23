import Foundation
import Testing
@testable import NetDNSAudit

/// `check --binary` / `--image`: exit codes, findings on standard output, SARIF and JUnit
/// located at the binary or image, the policy file keys and --allow on names and modules.
@Suite struct ArtifactGateTests {
    static func out(_ run: BuiltTool.Outcome) -> String { String(decoding: run.stdout, as: UTF8.self) }

    @Test func cgoResolverCompiledFails() throws {
        let cgo = InspectFixtures.path("go127-cgo1-stripped")
        let run = try BuiltTool.run(["check", "--no-github", "--binary", cgo])
        #expect(run.status == 1)
        let lines = Self.out(run).split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0] == "violation: \(cgo): cgo-resolver-compiled: the cgo DNS resolver is compiled in (resolver dynamic, cgo packages net): \"go1.27.3, example.com/dnsapp, CGO_ENABLED=1; advice: build with CGO_ENABLED=0 (or -tags netgo) for the pure-Go resolver, or set GODEBUG=netdns=go\" at \(cgo)")
        #expect(lines[1] == "check failed: 1 violation in 1 of 1 service")
        #expect(run.stderr == "")
    }

    @Test func pureGoAndForcedBinaries() throws {
        let pure = try BuiltTool.run(["check", "--no-github", "--binary", InspectFixtures.path("go127-cgo0-stripped"), "--binary", InspectFixtures.path("go119-netgo")])
        #expect(pure.status == 0)
        #expect(Self.out(pure) == "check passed: 2 services\n")
        // go-forced still has the resolver compiled in (an Env GODEBUG could pick it).
        let forced = try BuiltTool.run(["check", "--no-github", "--binary", InspectFixtures.path("go127-godebug-netdns-go")])
        #expect(forced.status == 1)
    }

    @Test func allowMatchesNameOrModule() throws {
        let cgo = InspectFixtures.path("go127-sqlite-cgo1")
        for pattern in ["go127-sqlite-*", "example.com/sqliteapp", cgo] {
            let run = try BuiltTool.run(["check", "--no-github", "--binary", cgo, "--allow", pattern])
            #expect(run.status == 0, "\(pattern)")
            #expect(Self.out(run).contains("allowed: \(cgo): verdict -, exempt from cgo-resolver-compiled (--allow '\(pattern)')"))
        }
        let other = try BuiltTool.run(["check", "--no-github", "--binary", cgo, "--allow", "example.com/other"])
        #expect(other.status == 1)
    }

    @Test func imageErrorsFailAndWarningsPass() throws {
        let bullseye = try ImageInspectorTests.write(ImageInspectorTests.bookwormApp(release: "bullseye").dockerSave(.dockerSaveLegacy), "bullseye.tar")
        let run = try BuiltTool.run(["check", "--no-github", "--image", bullseye])
        #expect(run.status == 1)
        let lines = Self.out(run).split(separator: "\n").map(String.init)
        #expect(lines.map { $0.split(separator: ":").prefix(4).joined(separator: ":") } == [
            "violation: \(bullseye):/app: glibc-too-old",
            "warning: \(bullseye):/app: tzdata-missing",
            "warning: \(bullseye):/usr/local/bin/helper: tzdata-missing",
            "check failed: 1 violation in 1 of 2 services (2 warnings)",
        ].map { $0.split(separator: ":").prefix(4).joined(separator: ":") })
        let bookworm = try ImageInspectorTests.write(ImageInspectorTests.bookwormApp().dockerSave(.dockerSaveLegacy), "bookworm.tar")
        let ok = try BuiltTool.run(["check", "--no-github", "--image", bookworm])
        #expect(ok.status == 0)
        #expect(Self.out(ok).hasSuffix("check passed: 2 services (2 warnings)\n"))
    }

    @Test func unreadableArtifactIsIncomplete() throws {
        let run = try BuiltTool.run(["check", "--no-github", "--binary", "/nonexistent/app", "--binary", InspectFixtures.path("go127-tiny")])
        #expect(run.status == 2)
        #expect(run.stderr == "netdns-audit: /nonexistent/app: cannot open: No such file or directory\n")
    }

    @Test func sarifAndJUnitLocateTheBinary() throws {
        let dir = try InputTestSupport.temporaryDirectory()
        let sarif = dir.appendingPathComponent("out.sarif").path, junit = dir.appendingPathComponent("out.xml").path
        let cgo = InspectFixtures.path("go127-netcgo")
        let run = try BuiltTool.run(["check", "--no-github", "--binary", cgo, "--sarif", sarif, "--junit", junit])
        #expect(run.status == 1)
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarif))) as? [String: Any]
        let results = ((doc?["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
        #expect(results.count == 1)
        #expect(results.first?["ruleId"] as? String == "cgo-resolver-compiled")
        let location = ((results.first?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any]
        #expect((location?["uri"] as? String)?.hasSuffix("go127-netcgo") == true)
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("cgo-resolver-compiled"))
        #expect(xml.contains("go127-netcgo"))
    }

    @Test func policyFileKeys() throws {
        let dir = try InputTestSupport.temporaryDirectory()
        let policy = dir.appendingPathComponent("policy.json")
        let cgo = InspectFixtures.path("go127-cgo1-stripped")
        try Data("{\"binaries\": [\"\(cgo)\"], \"allow\": [\"nothing-matches\"]}".utf8).write(to: policy)
        let run = try BuiltTool.run(["check", "--no-github", "--policy", policy.path])
        #expect(run.status == 1)
        #expect(Self.out(run).hasPrefix("violation: \(cgo): cgo-resolver-compiled"))
        let decoded = try CheckPolicy.decode(Data("{\"binaries\": [\"a\"], \"images\": [\"b.tar\"]}".utf8))
        #expect(decoded.binaries == ["a"] && decoded.images == ["b.tar"])
    }

    /// Binaries together with logs: both are judged.
    @Test func binariesBesideLogs() throws {
        let log = try InputTestSupport.temporaryDirectory().appendingPathComponent("svc.log")
        try Data("go package net: hostLookupOrder(db.internal) = files,dns\n".utf8).write(to: log)
        let run = try BuiltTool.run(["check", "--no-github", log.path, "--binary", InspectFixtures.path("go127-cgo1-stripped")])
        #expect(run.status == 1)
        #expect(Self.out(run).contains("cgo-resolver-compiled"))
    }
}
