import CNetDNSShim
import Foundation
import Testing
@testable import NetDNSAudit

/// Docker json-file records are recorded without unescaping their message when the triage can
/// answer on the escaped text: the counts must be those of the same messages unescaped (a CRI
/// file of them), for every message whose escapes sit where the triage looks.
@Suite struct DockerDeferredUnescapeTests {
    /// Messages with escapes at the start, at the end, around `lookup ` and inside torn trace lines.
    static let messages: [String] = [
        "go package net: hostLookupOrder(db.svc) = files,dns",
        "go package net: hostLookupOrder(\"quoted\") = dns",
        "go package net: hostLookupOrder({\"level\":\"info\",\"msg\":\"served\"}",
        "{\"level\":\"info\",\"msg\":\"ordinary\"}",
        "db.svc) = files,dns",
        "{\"level\":\"info\"}\tdb.svc) = dns",
        "go package net: hostLookupOrder(cache.svc",
        "{\"x\":1}  cache.svc) = dns\t",
        "\"go package net: hostLookupOrder(x) = dns",
        "\tgo package net: using the cgo DNS resolver",
        "go\tpackage net: using the cgo DNS resolver",
        "go package net:\tusing the cgo DNS resolver",
        "{\"err\":\"lookup api.example on 10.0.0.10:53: no such host\"}",
        "{\"err\":\"lookup\tapi.example: no such host\"}",
        "path C:\\temp\\ ends in a backslash \\",
        "ends in an escaped tab\t",
        "ends in an escaped quote \"",
        "ends with dns\t",
        "ends with dns \"",
        "tab then spaces\t   ",
        "\u{7}bell at the start, lookup x on 1.2.3.4:53: server misbehaving",
        "go package net: hostLookupOrder(a) = cgo\r",
        "café \u{1F600} and \\u escapes: lookup ünïcode.example: no such host",
        "{\"a\":\"<b>&</b>\"} go package net: addrLookupOrder(10.0.0.1) = files",
    ]

    /// A JSON string body as dockerd writes it.
    static func escaped(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "<", ">", "&": out += String(format: "\\u%04x", scalar.value)
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    func analyze(_ lines: [String], path: String) -> AuditSummary {
        let analyzer = StreamAnalyzer(source: SourceContext(path: path), mode: .perFile)
        let text = lines.joined(separator: "\n") + "\n"
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { analyzer.consumeLines(UnsafeRawBufferPointer($0), maxLineBytes: 1 << 20) }
        return analyzer.finish()
    }

    @Test func deferredRecordsCountAsTheirMessages() {
        // Every order of pairs: a torn start then a piece, a piece after an escape...
        var sequence: [String] = []
        for a in Self.messages { for b in Self.messages { sequence += [a, b] } }
        let docker = sequence.enumerated().map { i, m in
            "{\"log\":\"\(Self.escaped(m + "\n"))\",\"stream\":\"stdout\",\"time\":\"2026-11-20T10:00:\(String(format: "%02d", i % 60)).000000001Z\"}"
        }
        let cri = sequence.enumerated().map { i, m in
            "2026-11-20T10:00:\(String(format: "%02d", i % 60)).000000001Z stdout F \(m)"
        }
        let d = analyze(docker, path: "/var/lib/docker/containers/abc/abc-json.log").totals
        let c = analyze(cri, path: "/var/log/pods/ns_pod_uid/app/0.log").totals
        #expect(d.lines == sequence.count)
        #expect(c.lines == sequence.count)
        #expect(d.recognisedTraceLines == c.recognisedTraceLines)
        #expect(d.rebuiltTraceLines == c.rebuiltTraceLines)
        #expect(d.tornLines == c.tornLines)
        #expect(d.unrecognisedTraceLines == c.unrecognisedTraceLines)
        #expect(d.failures == c.failures)
        #expect(d.failureLines == c.failureLines)
        #expect(d.ordinaryLines == c.ordinaryLines)
        #expect(c.rebuiltTraceLines > 0)
        #expect(c.failures > 0)
        #expect(c.tornLines > 0)
    }

    /// The one-call scan of a JSON string value (64 bytes at a time, escapes from the runs of
    /// backslashes) agrees with a byte-at-a-time reading on values made of quotes, backslashes,
    /// `u` and other bytes, at every length and start, across block boundaries.
    @Test func stringScanAgreesWithTheByteRule() {
        var random = SplitMix64(seed: 16)
        let alphabet: [UInt8] = [0x22, 0x5C, 0x75, 0x6E, 0x61, 0x20, 0x2F]
        for _ in 0..<20_000 {
            let n = random.below(300)
            let bytes = (0..<n).map { _ in alphabet[random.below(alphabet.count)] }
            let start = n == 0 ? 0 : random.below(n)
            // The rule: a backslash escapes the byte after it; the first other quote ends the value.
            var escapes: [Int] = [], respelling = false, end = -1
            var i = start
            while i < n {
                if bytes[i] == 0x22 { end = i; break }
                if bytes[i] == 0x5C {
                    escapes.append(i)
                    if i + 1 < n, bytes[i + 1] == 0x75 || bytes[i + 1] == 0x2F { respelling = true }
                    i += 2
                    continue
                }
                i += 1
            }
            var found = netdns_json_escapes()
            let got = bytes.withUnsafeBytes { netdns_json_string_end($0.baseAddress, n, start, &found) }
            #expect(got == end, "\(bytes) from \(start)")
            guard end >= 0 else { continue }
            #expect(found.escapes == escapes.count)
            #expect(found.first == (escapes.first ?? -1))
            #expect(found.last == (escapes.last ?? -1))
            #expect(found.previous == (escapes.count >= 2 ? escapes[escapes.count - 2] : -1))
            #expect((found.respelling != 0) == respelling)
        }
    }
}
