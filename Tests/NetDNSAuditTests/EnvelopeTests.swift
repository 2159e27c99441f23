import Foundation
import Testing
@testable import NetDNSAudit

/// Decodes lines with one envelope and keeps what it gives, as strings.
struct EnvelopeDecodedLines {
    struct Line: Equatable {
        var key: String
        var message: String
        var timestamp: Int64?
    }

    var lines: [Line] = []
    var continued = 0
    var mismatched = 0

    init<E: LogEnvelope>(_ type: E.Type, path: String? = nil, _ input: [String]) {
        var envelope = E(source: SourceContext(path: path))
        for text in input {
            var copy = text
            let result = copy.withUTF8 { envelope.decode(UnsafeRawBufferPointer($0)) }
            switch result {
            case .line(let l): lines.append(Line(key: l.instanceKey.string, message: l.message.string, timestamp: l.timestamp))
            case .continued: continued += 1
            case .mismatch: mismatched += 1
            }
        }
        envelope.finish { l in lines.append(Line(key: l.instanceKey.string, message: l.message.string, timestamp: l.timestamp)) }
    }

    var messages: [String] { lines.map(\.message) }
}

enum EnvelopeTestSupport {
    static let esc = "\u{1B}"

    /// Runs lines through a ``StreamAnalyzer``, as a file at `path` or as standard input.
    static func analyze(_ input: [String], path: String? = "test.log", mode: StreamAnalyzer.EnvelopeMode = .perFile) -> AuditSummary {
        let analyzer = StreamAnalyzer(source: SourceContext(path: path), mode: mode)
        for text in input {
            var copy = text
            copy.withUTF8 { analyzer.consume(UnsafeRawBufferPointer($0)) }
        }
        return analyzer.finish()
    }

    /// The first structured envelope that recognises the line.
    static func recognisedBy(_ text: String) -> EnvelopeKind? {
        var copy = text
        return copy.withUTF8 { bytes in
            EnvelopeRegistry.structured.first { $0.recognises(UnsafeRawBufferPointer(bytes), source: SourceContext(path: nil)) }?.kind
        }
    }
}

@Suite struct CRIEnvelopeTests {
    @Test func partialPiecesJoinPerStream() {
        let d = EnvelopeDecodedLines(CRIEnvelope.self, [
            "2026-11-20T10:00:00.1Z stdout P hello ",
            "2026-11-20T10:00:00.2Z stderr P go package net: hostLookupOrder(a.example) ",
            "2026-11-20T10:00:00.3Z stdout F world",
            "2026-11-20T10:00:00.4Z stderr P =",
            "2026-11-20T10:00:00.5Z stderr F  cgo",
            "2026-11-20T10:00:01Z stdout F",
        ])
        #expect(d.continued == 3)
        #expect(d.mismatched == 0)
        #expect(d.messages == ["hello world", "go package net: hostLookupOrder(a.example) = cgo", ""])
        #expect(d.lines[0].timestamp == RFC3339.parse("2026-11-20T10:00:00.1Z"))
        #expect(d.lines.allSatisfy { $0.key.isEmpty })
    }

    @Test func unfinishedPartialIsEmittedAtTheEnd() {
        let d = EnvelopeDecodedLines(CRIEnvelope.self, ["2026-11-20T10:00:00.123456789Z stderr P lookup x on 10.96.0.10:53: no such host"])
        #expect(d.continued == 1)
        #expect(d.messages == ["lookup x on 10.96.0.10:53: no such host"])
    }

    @Test func malformedLinesMismatch() {
        let d = EnvelopeDecodedLines(CRIEnvelope.self, ["2026-11-20T10:00:00Z stdin F x", "2026-11-20T10:00:00Z stdout X x", "hello"])
        #expect(d.mismatched == 3)
    }

    @Test func analyzerCountsContinuationsAndJoinedTrace() {
        let s = EnvelopeTestSupport.analyze([
            "2026-11-20T10:00:00.1Z stderr P go package net: hostLookupOrder(a.exa",
            "2026-11-20T10:00:00.1Z stdout F listening on :8080",
            "2026-11-20T10:00:00.2Z stderr F mple) = cgo",
        ], path: "var/log/pods/shop_api-7d9f8c6b5d-x2x4z_0f0e/api/0.log")
        #expect(s.totals.continuationLines == 1)
        #expect(s.totals.recognisedTraceLines == 1)
        let instance = try! #require(s.instances.values.first)
        #expect(s.instances.count == 1)
        #expect(instance.identity == InstanceIdentity(service: "api", name: "api-7d9f8c6b5d-x2x4z", container: "api", namespace: "shop"))
        #expect(instance.forwardOrders[.cgo] == 1)
        #expect(instance.lines == 2)
    }

    @Test func podsPathGivesIdentity() {
        let expected = InstanceIdentity(service: "search-api", name: "search-api-84d5f6c7b9-2xkqj", container: "search-api", namespace: "shop")
        for path in [
            "/var/log/pods/shop_search-api-84d5f6c7b9-2xkqj_f55f7b91-5143-4f57-baaf-d99a45d1d127/search-api/0.log",
            "pods/shop_search-api-84d5f6c7b9-2xkqj_f55f7b91-5143-4f57-baaf-d99a45d1d127/search-api/3.log",
            "bundle/var/log/pods/shop_search-api-84d5f6c7b9-2xkqj_f55f7b91/search-api/0.log.20261120-101500.gz",
        ] {
            #expect(KubeletLogPath.identity(forPath: path) == expected, "\(path)")
        }
    }

    @Test func containersPathGivesIdentity() {
        let path = "/var/log/containers/search-indexer-1_shop_search-indexer-0470ff8c40d4ed59e2b4f77303f09dd07f911a3dfe3adf2ff351a9baf40900b0.log"
        #expect(KubeletLogPath.identity(forPath: path)
            == InstanceIdentity(service: "search-indexer", name: "search-indexer-1", container: "search-indexer", namespace: "shop"))
        #expect(KubeletLogPath.identity(forPath: "containers/node-agent-4xk2p_kube-system_node-agent-5bbebee38006.log")
            == InstanceIdentity(service: "node-agent", name: "node-agent-4xk2p", container: "node-agent", namespace: "kube-system"))
        #expect(KubeletLogPath.identity(forPath: "logs/app.log") == nil)
    }

    @Test func unknownPathFallsBackToFileName() {
        var envelope = CRIEnvelope(source: SourceContext(path: "dump/api.log"))
        _ = envelope.decode(UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(envelope.identity(forKey: UnsafeRawBufferPointer(start: nil, count: 0)) == InstanceIdentity(service: "api", name: "api"))
    }

    @Test func messageBufferKeepsItsHeadAndATailWindowBeyondItsLimit() {
        let buffer = MessageBuffer(limit: 8, tailLimit: 4, initialCapacity: 4)
        func append(_ text: String) { var text = text; text.withUTF8 { buffer.append(UnsafeRawBufferPointer($0)) } }
        append("012345")
        #expect(!buffer.isOverlong)
        #expect(buffer.tail.count == 0)
        append("6789")
        #expect(buffer.bytes.string == "01234567")
        #expect(buffer.isOverlong)
        #expect(buffer.tail.string == "89")
        #expect(buffer.droppedBytes == 0)
        // The window moves with every append, whatever the pieces' sizes.
        for piece in ["a", "bc", "def", "g", "hi"] { append(piece) }
        #expect(buffer.bytes.string == "01234567")
        #expect(buffer.tail.string == "fghi")
        #expect(buffer.droppedBytes == 7)
        append("jklmnopq")
        #expect(buffer.tail.string == "nopq")
        buffer.append(byte: 0x72)
        #expect(buffer.tail.string == "opqr")
        #expect(buffer.droppedBytes == 16)
        // In place (Docker's unescaping): what goes beyond the head moves to the window.
        buffer.clear()
        #expect(buffer.isEmpty && !buffer.isOverlong && buffer.droppedBytes == 0)
        for _ in 0..<3 {
            buffer.appendInPlace(maxCount: 5) { p in
                for (i, b) in "vwxyz".utf8.enumerated() { p.storeBytes(of: b, toByteOffset: i, as: UInt8.self) }
                return 5
            }
        }
        #expect(buffer.bytes.string == "vwxyzvwx")
        #expect(buffer.tail.string == "wxyz")
        #expect(buffer.droppedBytes == 3)
    }
}

@Suite struct DockerJSONEnvelopeTests {
    @Test func unescapesJSONStrings() {
        let d = EnvelopeDecodedLines(DockerJSONEnvelope.self, [
            #"{"log":"dial tcp 10.0.0.2:5000-\u003e172.31.0.2:53: \"quoted\" back\\slash \/ tab\there\n","stream":"stderr","time":"2026-11-20T11:00:02.00103196Z"}"#,
            #"{"log":"smile \ud83d\ude00 \u00e9 \u20ac lone \ud800 end\n","stream":"stdout","time":"2026-11-20T11:00:03Z"}"#,
            #"{"log":"plain\n","stream":"stdout","time":"2026-11-20T11:00:04Z"}"#,
        ])
        #expect(d.mismatched == 0)
        #expect(d.messages == [
            "dial tcp 10.0.0.2:5000->172.31.0.2:53: \"quoted\" back\\slash / tab\there",
            "smile \u{1F600} \u{E9} \u{20AC} lone \u{FFFD} end",
            "plain",
        ])
        #expect(d.lines[0].timestamp == RFC3339.parse("2026-11-20T11:00:02.00103196Z"))
    }

    @Test func partialPiecesJoinPerStream() {
        let d = EnvelopeDecodedLines(DockerJSONEnvelope.self, [
            #"{"log":"go package net: hostLookupOrder(","stream":"stderr","time":"2026-11-20T11:00:02Z"}"#,
            #"{"log":"between\n","stream":"stdout","time":"2026-11-20T11:00:02Z"}"#,
            #"{"log":"a.example) \u003d ","stream":"stderr","time":"2026-11-20T11:00:02Z"}"#,
            #"{"log":"cgo\n","stream":"stderr","time":"2026-11-20T11:00:03Z"}"#,
            #"{"log":"ends with a backslash-n \\n","stream":"stderr","time":"2026-11-20T11:00:04Z"}"#,
            #"{"log":" text\n","stream":"stderr","time":"2026-11-20T11:00:04Z"}"#,
        ])
        #expect(d.continued == 3)
        #expect(d.messages == ["between", "go package net: hostLookupOrder(a.example) = cgo", "ends with a backslash-n \\n text"])
    }

    @Test func otherKeyOrdersAndAttributes() {
        let d = EnvelopeDecodedLines(DockerJSONEnvelope.self, [
            #"{"stream":"stdout","attrs":{"tag":"a}\"b","n":[1,{"x":2}]},"log":"hi\n","time":"2026-11-20T11:00:02Z"}"#,
            #"{"log": "spaced\n", "stream": "stderr"}"#,
            #"{"level":"info","msg":"not docker"}"#,
            #"{"log":"unterminated"#,
        ])
        #expect(d.messages == ["hi", "spaced"])
        #expect(d.mismatched == 2)
    }
}

@Suite struct ComposeEnvelopeTests {
    @Test func decodesPaddedAndColouredPrefixes() {
        let d = EnvelopeDecodedLines(ComposeEnvelope.self, [
            "api-1     | lookup db on 127.0.0.11:53: no such host",
            "\(EnvelopeTestSupport.esc)[36mworker-12 | \(EnvelopeTestSupport.esc)[0mgo package net: using the Go DNS resolver",
            "\(EnvelopeTestSupport.esc)[1;33mapi-1     |\(EnvelopeTestSupport.esc)[0m 2026-11-20T10:00:00.5Z started",
            "web_1  | compose v1",
            "api-1     |",
            "no prefix here",
        ])
        #expect(d.lines.map(\.key) == ["api-1", "worker-12", "api-1", "web_1", "api-1"])
        #expect(d.messages == ["lookup db on 127.0.0.11:53: no such host", "go package net: using the Go DNS resolver", "started", "compose v1", ""])
        #expect(d.lines[2].timestamp == RFC3339.parse("2026-11-20T10:00:00.5Z"))
        #expect(d.mismatched == 1)
    }

    @Test func identityIsContainerAndService() {
        let s = EnvelopeTestSupport.analyze([
            "api-1     | go package net: using the Go DNS resolver",
            "api-2     | go package net: using the cgo DNS resolver",
            "redis-cache-1 | Ready to accept connections",
        ], path: "compose.log")
        #expect(Set(s.instances.keys) == [
            InstanceIdentity(service: "api", name: "api-1"), InstanceIdentity(service: "api", name: "api-2"),
            InstanceIdentity(service: "redis-cache", name: "redis-cache-1"),
        ])
    }
}

@Suite struct SternEnvelopeTests {
    @Test func decodesBothLayoutsAndColours() {
        let d = EnvelopeDecodedLines(SternEnvelope.self, [
            "search-api-84d5f6c7b9-2xkqj search-api go package net: using the Go DNS resolver",
            "shop search-indexer-0 indexer lookup x on 10.96.0.10:53: no such host",
            "\(EnvelopeTestSupport.esc)[32mnode-agent-4xk2p\(EnvelopeTestSupport.esc)[0m \(EnvelopeTestSupport.esc)[33mnode-agent\(EnvelopeTestSupport.esc)[0m hello world",
            "this is ordinary text",
        ])
        #expect(d.lines.map(\.key) == ["search-api-84d5f6c7b9-2xkqj search-api", "shop search-indexer-0 indexer", "node-agent-4xk2p node-agent"])
        #expect(d.messages == ["go package net: using the Go DNS resolver", "lookup x on 10.96.0.10:53: no such host", "hello world"])
        #expect(d.mismatched == 1)
        let envelope = SternEnvelope(source: SourceContext(path: nil))
        var key = "shop search-indexer-0 indexer"
        let identity = key.withUTF8 { envelope.identity(forKey: UnsafeRawBufferPointer($0)) }
        #expect(identity == InstanceIdentity(service: "search-indexer", name: "search-indexer-0", container: "indexer", namespace: "shop"))
    }

    @Test func detectedOnlyWhenMostLinesMatch() {
        let plain = EnvelopeTestSupport.analyze([
            "node-agent-4xk2p is starting",
            "loaded configuration",
            "listening on :8080",
        ], path: "agent.log")
        #expect(plain.instances.keys.map(\.name) == ["agent"])
        let stern = EnvelopeTestSupport.analyze([
            "node-agent-4xk2p node-agent starting",
            "node-agent-9trbw node-agent starting",
            "a line stern printed without prefix",
        ], path: "stern.log")
        #expect(Set(stern.instances.keys.map(\.name)) == ["node-agent-4xk2p", "node-agent-9trbw"])
        #expect(stern.totals.unattributedLines == 1)
    }

    @Test func notDetectedPerLineButForcible() {
        let lines = ["node-agent-4xk2p node-agent starting"]
        #expect(EnvelopeTestSupport.analyze(lines, path: nil, mode: .perLine).instances.keys.map(\.name) == ["stdin"])
        #expect(EnvelopeTestSupport.analyze(lines, path: nil, mode: .forced(.stern)).instances.keys.map(\.name) == ["node-agent-4xk2p"])
    }
}

@Suite struct JournaldEnvelopeTests {
    @Test func decodesShortFormatWithoutTimestamp() {
        let d = EnvelopeDecodedLines(JournaldEnvelope.self, [
            "Nov 20 10:00:00 node-1 billing[4242]: lookup x on 127.0.0.53:53: no such host",
            "Nov  5 09:01:02 node-1 kernel: eth0 up",
            "Nov 20 10:00:00.123456 node-2 billing[77]:",
            "-- Boot 1a2b --",
        ])
        #expect(d.lines == [
            .init(key: "node-1 billing", message: "lookup x on 127.0.0.53:53: no such host", timestamp: nil),
            .init(key: "node-1 kernel", message: "eth0 up", timestamp: nil),
            .init(key: "node-2 billing", message: "", timestamp: nil),
        ])
        #expect(d.mismatched == 1)
    }

    @Test func decodesShortISOWithAndWithoutOffsetColon() {
        let d = EnvelopeDecodedLines(JournaldEnvelope.self, [
            "2026-11-20T10:00:00+0000 node-1 billing[4242]: one",
            "2026-11-20T11:00:00+01:00 node-1 billing[4242]: two",
            "2026-11-20T10:00:00.250000-0130 node-1 billing[4242]: three",
        ])
        #expect(d.messages == ["one", "two", "three"])
        #expect(d.lines.map(\.timestamp) == [
            RFC3339.parse("2026-11-20T10:00:00Z"), RFC3339.parse("2026-11-20T10:00:00Z"), RFC3339.parse("2026-11-20T11:30:00.25Z"),
        ])
    }

    @Test func identityIsIdentOnHost() {
        let s = EnvelopeTestSupport.analyze([
            "2026-11-20T10:00:00+0000 node-1 billing[4242]: go package net: using the Go DNS resolver",
            "2026-11-20T10:00:01+0000 node-1 billing[4243]: go package net: using the Go DNS resolver",
            "2026-11-20T10:00:01+0000 node-2 billing[10]: go package net: using the cgo DNS resolver",
        ], path: "journal.log")
        #expect(Set(s.instances.keys) == [
            InstanceIdentity(service: "billing", name: "billing@node-1"), InstanceIdentity(service: "billing", name: "billing@node-2"),
        ])
        #expect(s.instances[InstanceIdentity(service: "billing", name: "billing@node-1")]?.processes == 2)
    }
}

@Suite struct EnvelopeDetectionTests {
    @Test func eachLineIsRecognisedByItsOwnEnvelope() {
        #expect(EnvelopeTestSupport.recognisedBy(#"{"log":"x\n","stream":"stderr","time":"2026-11-20T11:00:02Z"}"#) == .docker)
        #expect(EnvelopeTestSupport.recognisedBy("2026-11-20T10:00:00.002158464Z stderr F go package net: using the Go DNS resolver") == .cri)
        #expect(EnvelopeTestSupport.recognisedBy("Nov 20 10:00:00 node-1 billing[4242]: hello") == .journald)
        #expect(EnvelopeTestSupport.recognisedBy("2026-11-20T10:00:00+0000 node-1 billing[4242]: hello") == .journald)
        #expect(EnvelopeTestSupport.recognisedBy("[pod/api-7d9f8c6b5d-x2x4z/api] hello") == .kubectl)
        #expect(EnvelopeTestSupport.recognisedBy("api-1  | hello") == .compose)
        #expect(EnvelopeTestSupport.recognisedBy("api-7d9f8c6b5d-x2x4z api hello") == .stern)
    }

    @Test func plainApplicationLinesAreNotTaken() {
        for line in [
            "2026/11/20 11:00:02 starting legacy-sync (version=1.4.2, go=go1.19.8, pid=25228)",
            #"ts=2026-11-20T10:10:00.000Z caller=main.go:92 level=info msg="starting node-agent""#,
            #"{"time":"2026-11-20T10:00:00Z","level":"ERROR","msg":"lookup failed","error":"lookup x: no such host"}"#,
            #"{"level":"info","log":"an application's own log key","stream":"events"}"#,
            "go package net: using the Go DNS resolver",
            "2026-11-20T10:00:00Z INFO server: started",
            "time=\"2026-11-20T10:00:00Z\" level=error msg=\"dial failed\" error=\"lookup x on 10.0.0.1:53: i/o timeout\"",
        ] {
            #expect(EnvelopeTestSupport.recognisedBy(line) == nil, "\(line)")
        }
    }

    @Test func forcedByName() {
        for kind in EnvelopeKind.allCases {
            #expect(EnvelopeRegistry.type(for: kind).kind == kind)
        }
    }
}
