import Testing
@testable import NetDNSAudit

/// What a tree of small files made cheaper per file must still answer as before: the order of
/// identities (bytes for ASCII names, String order otherwise) and the timestamp cache that keeps
/// a date across seconds.
@Suite struct PerFileCostTests {
    /// The order `<` had: tuples of Strings.
    static func tupleOrder(_ a: InstanceIdentity, _ b: InstanceIdentity) -> Bool {
        (a.namespace ?? "", a.service, a.name, a.container ?? "", a.namespace == nil ? 0 : 1, a.container == nil ? 0 : 1)
            < (b.namespace ?? "", b.service, b.name, b.container ?? "", b.namespace == nil ? 0 : 1, b.container == nil ? 0 : 1)
    }

    @Test func identityOrderIsTheTupleOrder() {
        // Short and long (inline and heap) strings, shared prefixes, empty ones, non-ASCII ones
        // (é composed and decomposed are equal Strings with other bytes), bytes above 0x7F.
        let parts = ["", "a", "b", "ab", "a-b", "A", "shop", "shop-api", "shop-api-7d9f8b6c5-x2k4p",
                     "shop-api-7d9f8b6c5-x2k4q", "caf\u{E9}", "cafe\u{301}", "cafe", "caf\u{E9}s", "\u{1F600}", "z",
                     "tree-12-3", "tree-12-30", "tree-2-3"]
        var random = SplitMix64(seed: 16)
        func part() -> String { parts[random.below(parts.count)] }
        func optional() -> String? { random.below(4) == 0 ? nil : part() }
        let identities = (0..<400).map { _ in
            InstanceIdentity(service: part(), name: part(), container: optional(), namespace: optional())
        }
        var mismatches: [String] = []
        for a in identities {
            for b in identities.prefix(100) where (a < b) != Self.tupleOrder(a, b) {
                mismatches.append("\(a) < \(b)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(3))")
        #expect(identities.sorted() == identities.sorted(by: Self.tupleOrder))
        #expect(InstanceIdentity(service: "s", name: "caf\u{E9}") == InstanceIdentity(service: "s", name: "cafe\u{301}"))
        #expect(!(InstanceIdentity(service: "s", name: "caf\u{E9}") < InstanceIdentity(service: "s", name: "cafe\u{301}")))
    }

    /// The report's times written as digits into 30 bytes: what padding Strings wrote, for any
    /// nanoseconds (the years 1677 to 2262).
    @Test func formattedTimesAreThePaddedStrings() {
        func padded(_ t: Int64) -> String {
            var seconds = t / 1_000_000_000
            var nanos = t % 1_000_000_000
            if nanos < 0 { seconds -= 1; nanos += 1_000_000_000 }
            let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
            let rem = Int(seconds - days * 86400)
            let (y, m, d) = RFC3339.civilFromDays(Int(days))
            func pad(_ v: Int, _ w: Int) -> String {
                let s = String(v)
                return String(repeating: "0", count: max(0, w - s.count)) + s
            }
            return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rem / 3600, 2)):\(pad(rem / 60 % 60, 2)):\(pad(rem % 60, 2)).\(pad(Int(nanos), 9))Z"
        }
        var random = SplitMix64(seed: 30)
        var times: [Int64] = [0, -1, 1, .max, .min, .min + 1, 1_795_680_000_000_000_000]
        for _ in 0..<5_000 { times.append(Int64(bitPattern: random.next())) }
        for _ in 0..<5_000 { times.append(1_700_000_000_000_000_000 + Int64(random.below(1 << 40)) * 1000 + Int64(random.below(1000))) }
        let wrong = times.filter { RFC3339.format($0) != padded($0) }
        #expect(wrong.isEmpty, "\(wrong.prefix(3))")
        #expect(RFC3339.format(1_795_680_000_123_456_789) == "2026-11-26T08:00:00.123456789Z")
    }

    /// Times read one after the other through one cache (the date kept across seconds and
    /// days, bad bytes at every place of the date and the time) equal each time read alone.
    @Test func timestampCacheKeepsTheDateAndReadsAsAFreshOne() {
        var random = SplitMix64(seed: 20)
        var cache = TimestampCache()
        var read = 0
        var mismatches: [String] = []
        for i in 0..<20_000 {
            let day = 1 + random.below(random.below(3) == 0 ? 31 : 2)
            let date = "2026-11-\(day < 10 ? "0" : "")\(day)"
            let time = "T1\(random.below(3)):\(random.below(6))\(random.below(10)):\(random.below(7))\(random.below(10))"
            var text = Array((date + time + ".\(random.below(1_000_000_000))Z").utf8)
            if i % 5 == 0 {
                // A bad byte anywhere in the first 19, or a separator changed.
                let at = random.below(19)
                text[at] = [0x2F, 0x3A, 0x41, 0x20, 0x39, 0x30, 0x54][random.below(7)]
            }
            let mine = text.withUnsafeBytes { cache.parse($0) }
            var fresh = TimestampCache()
            let alone = text.withUnsafeBytes { fresh.parse($0) }
            let oracle = text.withUnsafeBytes { RFC3339.parse($0) }
            if mine != alone || mine != oracle { mismatches.append(String(decoding: text, as: UTF8.self)) }
            if mine != nil { read += 1 }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(3))")
        // Seconds 61 to 69 and most bad bytes are no time (the seed's inputs: 14,445 times).
        #expect(read == 14_445)
    }
}
