import Testing
@testable import NetDNSAudit

/// `DNSFailureScanner.classifyReason` (a socket error's outcome found in one pass over its
/// candidate bytes) against the reading it replaced: the error cut at a quote, then at the next
/// `lookup `, then searched for each outcome.
@Suite struct FailureReasonTests {
    /// The reading before, as it was written.
    static func oldClassify(_ m: UnsafeRawBufferPointer, at start: Int) -> (FailureClass, Libc?, Int)? {
        guard start < m.count else { return nil }
        let first = m[start]
        for (text, failureClass, libc) in DNSFailureScanner.reasonTexts where text.utf8Start.pointee == first && m.hasPrefix(text, at: start) {
            return (failureClass, libc, start + text.utf8CodeUnitCount)
        }
        for prefix in DNSFailureScanner.socketPrefixes where prefix.utf8Start.pointee == first && m.hasPrefix(prefix, at: start) {
            var end = start + prefix.utf8CodeUnitCount
            let limit = min(m.count, start + 400)
            while end < limit, m[end] != ASCII.quote { end += 1 }
            if let next = m.slice(0, end).firstRange(of: MessageTriage.failureNeedleText, from: start,
                                                      rareIndices: MessageTriage.failureNeedleRareIndices) { end = next }
            let segment = m.slice(start, end)
            let timeout = segment.firstRange(of: "i/o timeout")
            let refused = segment.firstRange(of: "connection refused")
            switch (timeout, refused) {
            case let (t?, r?): return t < r ? (.timeout, nil, start + t + 11) : (.refused, nil, start + r + 18)
            case let (t?, nil): return (.timeout, nil, start + t + 11)
            case let (nil, r?): return (.refused, nil, start + r + 18)
            case (nil, nil): return (.other, nil, end)
            }
        }
        return nil
    }

    static func describe(_ r: (FailureClass, Libc?, Int)?) -> String {
        r.map { "\($0.0) \($0.1.map(\.rawValue) ?? "-") \($0.2)" } ?? "nil"
    }

    @Test func socketFirstBytesStartNoReasonText() {
        let socket: Set<UInt8> = [0x72, 0x77, 0x64]
        #expect(DNSFailureScanner.socketPrefixes.allSatisfy { socket.contains($0.utf8Start.pointee) })
        #expect(DNSFailureScanner.reasonTexts.allSatisfy { !socket.contains($0.0.utf8Start.pointee) })
    }

    @Test func knownReasons() {
        let cases: [(String, String)] = [
            ("no such host", "nxdomain - 12"),
            ("read udp 10.0.0.1:1->10.0.0.10:53: i/o timeout\"}", "timeout - 46"),
            ("dial udp 10.0.0.10:53: connect: connection refused", "refused - 50"),
            ("write tcp 1->2: broken pipe", "other - 27"),
            ("read udp 1->2: x\" i/o timeout", "other - 16"),
            ("read udp 1->2: x lookup a: i/o timeout", "other - 17"),
            ("read udp connection refused then i/o timeout", "refused - 27"),
            ("Try again", "temporary musl 9"),
            ("read", "nil"),
        ]
        for (text, want) in cases {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBytes { m in
                #expect(Self.describe(DNSFailureScanner.classifyReason(m, at: 0)) == want, "\(text)")
                #expect(Self.describe(Self.oldClassify(m, at: 0)) == want, "\(text)")
            }
        }
    }

    /// Reasons made of the texts' own pieces, cut anywhere, at every start, with the 400-byte
    /// limit reached.
    @Test func generatedReasons() {
        var rng = SplitMix64(seed: 0x5EA5)
        let pieces: [[UInt8]] = ["read udp ", "dial tcp ", "write udp ", "i/o timeout", "connection refused", "lookup ", "lookup",
                                 "\"", "10.0.0.1:53", "->", ": ", "i/o", "conn", "l", "i", "c", "x", " ", "no such host",
                                 "Try again", "Name does not resolve", "\\u003e", String(repeating: "9", count: 90)].map { Array($0.utf8) }
        var socket = 0
        for _ in 0..<6_000 {
            var bytes: [UInt8] = []
            for _ in 0..<rng.below(14) { bytes += pieces[rng.below(pieces.count)] }
            bytes.withUnsafeBytes { m in
                for start in 0...bytes.count {
                    let want = Self.oldClassify(m, at: start)
                    #expect(Self.describe(DNSFailureScanner.classifyReason(m, at: start)) == Self.describe(want), "\(bytes) \(start)")
                    if want != nil, start < bytes.count, [0x72, 0x77, 0x64].contains(bytes[start]) { socket += 1 }
                }
            }
        }
        #expect(socket > 5_000)
    }
}
