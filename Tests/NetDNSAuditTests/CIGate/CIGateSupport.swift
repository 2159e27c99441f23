import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import NetDNSAudit
@testable import netdns_audit

/// Inputs and consumer checkers shared by the CI gate tests.
enum CIGateSupport {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/ci-gate")
    /// The OASIS SARIF 2.1.0 JSON schema (errata 01), as published in oasis-tcs/sarif-spec.
    static var sarifSchema: String { fixtures.appendingPathComponent("sarif-schema-2.1.0.json").path }
    /// The JUnit XSD of the Jenkins xUnit plugin (junit-10.xsd).
    static var junitXSD: String { fixtures.appendingPathComponent("junit-10.xsd").path }

    struct Output { var status: Int32; var stdout: Data; var stderr: Data }

    /// Runs a program to its end, feeding `input` on standard input.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], input: Data? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["GITHUB_ACTIONS"] = nil
        env["GITHUB_STEP_SUMMARY"] = nil
        env.merge(environment) { $1 }
        process.environment = env
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-stderr-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: errFile.path, contents: nil) else { throw CIGateError("cannot create \(errFile.path)") }
        defer { try? FileManager.default.removeItem(at: errFile) }
        let errHandle = try FileHandle(forWritingTo: errFile)
        defer { try? errHandle.close() }
        let out = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = errHandle
        process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        try process.run()
        if let input {
            let writer = inPipe.fileHandleForWriting
            DispatchQueue.global().async {
                writer.write(input)
                try? writer.close()
            }
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errData = try Data(contentsOf: errFile)
        return Output(status: process.terminationStatus, stdout: outData, stderr: errData)
    }

    /// Runs the built `netdns-audit`.
    static func netdnsAudit(_ arguments: [String], environment: [String: String] = [:], input: Data? = nil) throws -> Output {
        guard let exe = CheckCommandExitTests.executable else { throw CIGateError("netdns-audit executable not found") }
        return try run(exe.path, arguments, environment: environment, input: input)
    }

    /// Both streams of a run through the runner port, as the runner reads a step's output.
    static func runner(_ output: Output) -> RunnerCommandParser {
        var parser = RunnerCommandParser()
        parser.feed(output.stdout)
        parser.feed(output.stderr)
        return parser
    }

    // MARK: hostile inputs

    /// Runner command prefixes and their look-alikes, as they could appear in a log.
    static let commandPrefixes: [String] = [
        "##[stop-commands]tok", "##[add-mask]secret", "##[error]fake verdict", "##[set-output name=x]y",
        "::stop-commands::tok2", "::add-mask::secret", "::error::fake", "::notice title=t::passed",
        "%0A::error::x", "%0D%0A##[endgroup]", "#\u{200B}#[stop-commands]zw", "##\u{00AD}[add-mask]shy",
        "\u{FEFF}::error::bom", "\u{2028}::warning::ls", " \u{3000}::debug::x", "##[STOP-COMMANDS]upper",
        "[[ATTACHMENT|/etc/passwd]]", "https://evil.example/x?a=1&b=2 www.evil.example a@evil.example",
        "<script>alert(1)</script>", "]]></failure><failure>", "[link](https://evil.example)",
    ]

    /// Every byte value as a piece of a name: the byte itself (invalid UTF-8 alone for 0x80...0xFF).
    static func byteString(_ b: UInt8) -> [UInt8] { [b] }

    /// A kubectl-prefixed log whose pod names (so service and instance names) and trace lines
    /// (so evidence) carry every byte 0-255 and every command prefix. Bytes that end a kubectl
    /// pod field (`/`, `]`) or a line (LF) go into the evidence only.
    static var hostileLog: [UInt8] {
        var bytes: [UInt8] = []
        var n = 0
        func entry(pod: [UInt8], evidence: [UInt8]) {
            n += 1
            bytes += Array("[pod/".utf8) + pod + Array("-7d9f8b6c5-x\(n)k4p/c] go package net: hostLookupOrder(h".utf8)
                + evidence + Array(".example) = cgo\n".utf8)
        }
        for b in UInt8.min...UInt8.max {
            let inPod = b != UInt8(ascii: "/") && b != UInt8(ascii: "]") && b != 0x0A
            // In a pod name `]` would end the field: the legacy command is left open there, to be
            // closed by a later `]` of the same output line.
            let podPiece = byteString(b) + Array("##[stop-commands t\(b)".utf8)
            let piece = byteString(b) + Array("##[stop-commands]t\(b)".utf8)
            entry(pod: inPod ? Array("s\(b)-".utf8) + podPiece : Array("s\(b)".utf8), evidence: b == 0x0A ? Array("##[add-mask]x".utf8) : piece)
        }
        for prefix in commandPrefixes {
            let p = Array(prefix.utf8).filter { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "]") }
            entry(pod: p, evidence: Array(prefix.utf8))
            entry(pod: Array("ok".utf8), evidence: Array(prefix.utf8))
        }
        return bytes
    }

    /// File names with every byte 1-255 but `/` and each command prefix, in `dir`, each holding
    /// one cgo trace line of its own service. Returns the directory.
    static func hostileFileTree(in dir: URL) throws -> URL {
        let tree = dir.appendingPathComponent("tree")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        var names: [[UInt8]] = []
        for b in UInt8(1)...UInt8.max where b != UInt8(ascii: "/") {
            names.append(Array("f\(b)-".utf8) + [b] + Array("##[stop-commands]f\(b)::error::x.log".utf8))
        }
        for (i, prefix) in commandPrefixes.enumerated() {
            names.append(Array("p\(i)-".utf8) + Array(prefix.utf8).filter { $0 != UInt8(ascii: "/") } + Array(".log".utf8))
        }
        for (i, name) in names.enumerated() {
            let path = Array(tree.path.utf8) + [UInt8(ascii: "/")] + name + [0]
            let fd = path.withUnsafeBufferPointer { p in
                p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
            }
            guard fd >= 0 else { throw CIGateError("cannot create hostile file \(i)") }
            let line = Array("[pod/file\(i)-7d9f8b6c5-x2k4p/c] go package net: hostLookupOrder(a.example) = cgo\n".utf8)
            _ = line.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        return tree
    }

    // MARK: large inputs

    /// A report of `services` services, one instance each, every one with a cgo trace line (a
    /// `resolver-path` violation) and `failures` DNS failures.
    static func largeReport(services: Int, failures: Int = 0) -> AuditReport {
        var summary = AuditSummary()
        for i in 0..<services {
            let name = "svc-\(i)"
            var s = InstanceSummary(identity: InstanceIdentity(service: name, name: name + "-0", namespace: i % 2 == 0 ? "ns\(i % 7)" : nil))
            s.files = ["logs/\(name).log"]
            s.lines = 1
            s.traceLines = 1
            s.debugLevel = 2
            s.forwardOrders.add(.cgo)
            s.cgoEvidence = EvidenceSample(text: "go package net: hostLookupOrder(db-\(i).example) = cgo", file: "logs/\(name).log", line: i + 1)
            summary.instances[s.identity] = s
        }
        return AuditReport(summary)
    }

    // MARK: consumers

    /// Validates a SARIF document against the vendored OASIS schema with python3's jsonschema
    /// (the validator GitHub's upload action runs is the JavaScript port of the same schema).
    /// Returns the validator's errors, empty when valid.
    static func sarifSchemaErrors(_ data: Data) throws -> [String] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-sarif-\(UUID().uuidString).json")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1]))
        doc = json.load(open(sys.argv[2]))
        v = jsonschema.Draft4Validator(schema)
        errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
        for e in errs[:20]: print("/".join(str(p) for p in e.path) + ": " + e.message[:300])
        sys.exit(1 if errs else 0)
        """
        let r = try run("/usr/bin/env", ["python3", "-c", script, sarifSchema, file.path])
        let text = String(decoding: r.stdout + r.stderr, as: UTF8.self)
        if r.status == 0 { return [] }
        return text.split(separator: "\n").map(String.init) + ["exit \(r.status)"]
    }

    /// Validates JUnit XML against the xUnit plugin's XSD with `xmllint --schema`. Returns the
    /// errors, empty when valid.
    static func junitSchemaErrors(_ xml: String) throws -> [String] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-junit-\(UUID().uuidString).xml")
        try Data(xml.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try run("/usr/bin/env", ["xmllint", "--noout", "--schema", junitXSD, file.path])
        if r.status == 0 { return [] }
        return String(decoding: r.stderr, as: UTF8.self).split(separator: "\n").prefix(20).map(String.init) + ["exit \(r.status)"]
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-ci-gate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

struct CIGateError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// How CommonMark (GitHub's Markdown) splits text into code spans, to check what it renders as
/// Markdown at all.
enum MarkdownSyntax {
    /// The text with every code span removed (CommonMark 6.1: a backtick string opens a span that
    /// the next backtick string of the same length closes; a backslash-escaped backtick outside a
    /// span is literal).
    static func outsideCodeSpans(_ text: String) -> String {
        let c = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        func run(at j: Int) -> Int {
            var k = j
            while k < c.count && c[k] == "`" { k += 1 }
            return k - j
        }
        while i < c.count {
            if c[i] == "\\" && i + 1 < c.count {
                out.append(c[i]); out.append(c[i + 1]); i += 2; continue
            }
            guard c[i] == "`" else { out.append(c[i]); i += 1; continue }
            let n = run(at: i)
            var j = i + n
            var closed: Int? = nil
            while j < c.count {
                if c[j] == "`" {
                    let m = run(at: j)
                    if m == n { closed = j + m; break }
                    j += m
                } else {
                    j += 1
                }
            }
            if let end = closed {
                out.append(" ")
                i = end
            } else {
                for _ in 0..<n { out.append("`") }
                i += n
            }
        }
        return String(out)
    }
}
