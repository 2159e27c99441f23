import Foundation
import Testing
@testable import NetDNSAudit

/// Messages joined from pieces (CRI `P`, Docker json-file partial records) that grow beyond
/// `--max-line-bytes` (#15 item 9): counted as over-long, their head and the end of the message
/// still scanned, so a DNS failure or a Go trace in the final piece counts. Every reading path
/// of ``EveryPathTests`` (one job, split ranges with read(2) and memory maps, one line or one
/// byte per read, followed as `watch` follows) gives the same exact counts.
@Suite struct JoinedOverlongTests {
    /// How a message is framed: one physical line per piece.
    enum Framing {
        case cri, docker

        func piece(_ text: String, stderr: Bool, last: Bool) -> String {
            let stream = stderr ? "stderr" : "stdout"
            switch self {
            case .cri:
                return "2026-11-20T10:00:00.000000001Z \(stream) \(last ? "F" : "P") \(text)\n"
            case .docker:
                // The test texts need no JSON escapes; a final piece ends in an escaped newline.
                return #"{"log":"\#(text)\#(last ? "\\n" : "")","stream":"\#(stream)","time":"2026-11-20T10:00:00.000000001Z"}"# + "\n"
            }
        }

        /// A message of `pieces`, the last one final unless `unfinished`.
        func message(_ pieces: [String], stderr: Bool, unfinished: Bool = false) -> String {
            pieces.enumerated().map { piece($0.element, stderr: stderr, last: !unfinished && $0.offset == pieces.count - 1) }.joined()
        }
    }

    static func filler(_ c: Character) -> String { String(repeating: c, count: 900) }

    /// The messages of the test at a line limit of 1024 bytes, and what they are:
    /// - an ordinary line;
    /// - A: six 900-byte pieces, then a final piece with a DNS failure (over-long, failure counts);
    /// - B: a failure split across the last two pieces (the tail window holds both);
    /// - C: a Go trace line as the final piece (over-long, its lookup order counts);
    /// - D: a failure in two pieces under the limit (an ordinary joined failure line);
    /// - a physical line over the limit (over-long, not decoded);
    /// - E: a message still unfinished at the end of the input, over-long, a failure at its end.
    static func input(_ f: Framing) -> String {
        var text = f.piece("starting", stderr: false, last: true)
        text += f.message(Array(repeating: filler("x"), count: 6) + [" error: lookup db.svc on 10.0.0.10:53: no such host"], stderr: true)
        text += f.message([filler("y"), filler("y"), String(filler("y").dropLast(24)) + " lookup api.svc on 10.0",
                           ".0.10:53: server misbehaving"], stderr: false)
        text += f.message([filler("z"), filler("z"), "go package net: hostLookupOrder(db.svc) = cgo"], stderr: true)
        text += f.message(["lookup short.svc on 10.0", ".0.10:53: no such host"], stderr: false)
        text += f.piece(String(repeating: "o", count: 1500), stderr: false, last: true)
        text += f.message([filler("w"), filler("w"), String(filler("w").dropLast(45)) + " lookup tail.svc on 10.0.0.10:53: no such host"],
                          stderr: true, unfinished: true)
        return text
    }

    final class Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-joined-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }
        func write(_ name: String, _ text: String) throws -> String {
            let path = url.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    static func limited(_ bytes: Int) -> AnalyzerOptions {
        var options = AnalyzerOptions()
        options.maxLineBytes = bytes
        return options
    }

    @Test(arguments: [Framing.cri, .docker])
    func joinedMessagesBeyondTheLimitAreOverlongAndTheirEndIsScanned(_ framing: Framing) throws {
        let folder = try Folder()
        let path = try folder.write(framing == .cri ? "app.log" : "app-json.log", Self.input(framing))
        let summary = try EveryPathTests().checkEveryPath(path, Self.limited(1024))
        let t = summary.totals
        #expect(t.lines == 21)
        #expect(t.continuationLines == 14)
        #expect(t.overlongLines == 5)
        #expect(t.failureLines == 1)
        #expect(t.ordinaryLines == 1)
        #expect(t.recognisedTraceLines == 0)
        #expect(t.bucketTotal == t.lines)
        #expect(t.failures == 4)
        #expect(summary.instances.count == 1)
        let instance = try #require(summary.instances.values.first)
        #expect(instance.lines == 6)
        #expect(instance.failures.total == 4)
        #expect(instance.failureLines == 4)
        #expect(instance.failingNames.counts == ["api.svc": 1, "db.svc": 1, "short.svc": 1, "tail.svc": 1])
        #expect(instance.forwardOrders[.cgo] == 1)
        #expect(instance.traceLines == 1)
    }

    /// At the default limit (1 MiB) a message of 16 KiB pieces (containerd's and dockerd's size)
    /// longer than 1 MiB: the failure in its final piece counts.
    @Test(arguments: [Framing.cri, .docker])
    func aFailureAfterAMebibyteOfPiecesCounts(_ framing: Framing) throws {
        let folder = try Folder()
        let piece = String(repeating: "p", count: 16 << 10)
        let text = framing.message(Array(repeating: piece, count: 80) + [" error: lookup db.svc on 10.0.0.10:53: no such host"], stderr: true)
            + framing.piece("lookup next.svc on 10.0.0.10:53: no such host", stderr: true, last: true)
        let path = try folder.write(framing == .cri ? "big.log" : "big-json.log", text)
        let summary = try EveryPathTests().checkEveryPath(path)
        #expect(summary.totals.lines == 82)
        #expect(summary.totals.continuationLines == 80)
        #expect(summary.totals.overlongLines == 1)
        #expect(summary.totals.failureLines == 1)
        #expect(summary.totals.failures == 2)
        #expect(summary.instances.values.first?.failingNames.counts == ["db.svc": 1, "next.svc": 1])
    }

    /// However long a message of pieces grows, an envelope holds at most its head, one piece
    /// and the tail window: 64 MiB of 16 KiB pieces at a 1 MiB limit.
    @Test func aMessageOfPiecesIsNeverHeldWhole() {
        var envelope = CRIEnvelope(source: SourceContext(path: "app.log"))
        envelope.limitJoinedMessages(to: 1 << 20)
        var line = Array("2026-11-20T10:00:00.000000001Z stdout P ".utf8) + Array(repeating: UInt8(ascii: "p"), count: 16 << 10)
        for _ in 0..<4096 {
            line.withUnsafeBytes { _ = envelope.decode($0) }
        }
        line = Array("2026-11-20T10:00:00.000000001Z stdout F  error: lookup db.svc on 10.0.0.10:53: no such host".utf8)
        let pieces = envelope.split.stdout
        #expect(pieces.isOverlong)
        #expect(pieces.reservedBytes <= (1 << 20) + (16 << 10) + 2 * (64 << 10) + 4096)
        #expect(pieces.droppedBytes == (64 << 20) - (1 << 20) - (64 << 10))
        line.withUnsafeBytes {
            guard case .line(let decoded) = envelope.decode($0) else { Issue.record("no message"); return }
            #expect(decoded.message.count == 1 << 20)
            #expect(decoded.overlongTail?.count == 64 << 10)
            #expect(decoded.overlongTail.map { String(decoding: $0, as: UTF8.self).hasSuffix("pppp error: lookup db.svc on 10.0.0.10:53: no such host") } == true)
        }
        #expect(envelope.split.stdout.isEmpty)
    }
}

extension JoinedOverlongTests {
    /// Docker's pieces are unescaped in place: the head and the tail are exactly the message's
    /// first and last bytes.
    @Test func dockerHeadAndTailAreTheMessagesEnds() {
        var envelope = DockerJSONEnvelope(source: SourceContext(path: "app-json.log"))
        envelope.limitJoinedMessages(to: 4096)
        var message = ""
        for i in 0..<40 {
            let text = String(repeating: Character(UnicodeScalar(UInt8(0x61 + i % 26))), count: 999) + "\\t"
            message += String(repeating: Character(UnicodeScalar(UInt8(0x61 + i % 26))), count: 999) + "\t"
            let record = #"{"log":"\#(text)","stream":"stdout","time":"2026-11-20T10:00:00Z"}"#
            Array(record.utf8).withUnsafeBytes { _ = envelope.decode($0) }
        }
        message += "end"
        let last = #"{"log":"end\n","stream":"stdout","time":"2026-11-20T10:00:00Z"}"#
        Array(last.utf8).withUnsafeBytes {
            guard case .line(let decoded) = envelope.decode($0) else { Issue.record("no message"); return }
            let bytes = Array(message.utf8)
            #expect(Array(decoded.message) == Array(bytes[0..<4096]))
            let tail = decoded.overlongTail.map(Array.init) ?? []
            // The window held the last 4096 bytes of the unescaped text; its `\n` is then removed.
            let expected = Array(bytes[(bytes.count - 4095)...])
            #expect(tail.count == expected.count)
            #expect(tail.indices.first { tail[$0] != expected[$0] } == nil, "first difference")
        }
    }
}
