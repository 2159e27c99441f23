import Testing
@testable import NetDNSAudit

/// The byte-keyed table of failing names reaches exactly the ``NameTally`` that adding the same
/// names as `String`s one by one reaches: counts, the capacity, what is folded, and Unicode's
/// equal strings of different bytes.
@Suite struct FailingNameTableTests {
    /// A table over an interner of its own, read back as a tally.
    final class Counted {
        let names = FailingNameInterner()
        let table = FailingNameTable()
        func add(_ name: String) {
            var copy = name
            copy.withUTF8 { table.add(UnsafeRawBufferPointer($0), names: names) }
        }
        func add(_ bytes: [UInt8]) { bytes.withUnsafeBytes { table.add($0, names: names) } }
        var tally: NameTally { table.tally(names) }
        var count: Int { table.count }
    }

    static func both(_ names: [String]) -> (Counted, NameTally) {
        let table = Counted()
        var tally = NameTally()
        for name in names {
            table.add(name)
            tally.add(name)
        }
        return (table, tally)
    }

    /// The name's hash and whether it is ASCII come from one pass: the same hash as the
    /// interner's, and ASCII exactly when every byte is below 0x80, at every length.
    @Test func hashAndASCIIInOnePass() {
        var rng = SplitMix64(seed: 0xA5C11)
        for _ in 0..<20_000 {
            let n = rng.below(41)
            let bytes = (0..<n).map { _ in rng.below(8) == 0 ? UInt8(0x80 | rng.below(128)) : UInt8(0x21 + rng.below(90)) }
            bytes.withUnsafeBytes { name in
                let (hash, isASCII) = FailingNameInterner.hashIfASCII(name)
                #expect(hash == FailingNameInterner.hash(name))
                #expect(isASCII == bytes.allSatisfy { $0 < 0x80 }, "\(bytes)")
            }
        }
    }

    @Test func countsRepeatedNames() {
        let names = ["a.example", "b.example", "a.example", "postgres.payments.svc.cluster.local", "a.example",
                     "postgres.payments.svc.cluster.local"]
        let (table, tally) = Self.both(names)
        #expect(table.tally == tally)
        #expect(table.tally.counts == ["a.example": 3, "b.example": 1, "postgres.payments.svc.cluster.local": 2])
        #expect(table.count == 3)
    }

    @Test func foldsNewNamesBeyondTheCapacityEachTimeTheyAreSeen() {
        var names = (0..<NameTally.capacity).map { "h\($0).bad.example" }
        names += ["late.example", "late.example", "h7.bad.example", "other.example"]
        let (table, tally) = Self.both(names)
        #expect(table.tally == tally)
        #expect(table.tally.counts.count == NameTally.capacity)
        #expect(table.tally.foldedNames == 3)
        #expect(table.tally.foldedFailures == 3)
        #expect(table.tally.counts["h7.bad.example"] == 2)
    }

    @Test func unicodeEqualNamesOfOtherBytesCountAsOneAsStringsDo() {
        // U+212A KELVIN SIGN is canonically "K"; "é" precomposed and decomposed are one string.
        let names = ["K.example", "\u{212A}.example", "caf\u{E9}.example", "cafe\u{301}.example", "K.example", "x.example"]
        let (table, tally) = Self.both(names)
        #expect(table.tally == tally)
        #expect(table.tally.counts["K.example"] == 3)
        #expect(table.tally.counts["caf\u{E9}.example"] == 2)
        // Invalid UTF-8 is repaired the same way in both.
        let table2 = Counted()
        var tally2 = NameTally()
        for bytes: [UInt8] in [[0x61, 0xFF, 0x62], [0x61, 0xFE, 0x62], [0x61, 0x62]] {
            table2.add(bytes)
            tally2.add(bytes.withUnsafeBytes { $0.string })
        }
        #expect(table2.tally == tally2)
        #expect(table2.tally.counts["a\u{FFFD}b"] == 2)
    }

    @Test func randomNamesOfEveryLengthGiveTheSameTally() {
        var rng = SplitMix64(seed: 16)
        var names: [String] = []
        for _ in 0..<20_000 {
            let length = 1 + rng.below(300)
            let pick = rng.below(1_500)
            names.append(String(String(repeating: "n\(pick)-", count: length / 6 + 1).prefix(length)))
        }
        let (table, tally) = Self.both(names)
        #expect(table.tally == tally)
        #expect(table.tally.counts.count == NameTally.capacity)
        #expect(table.tally.counts.values.reduce(0, +) + table.tally.foldedFailures == 20_000)
    }

    @Test func instancesSharingOneInternerCountOnlyTheirOwnNames() {
        // Three instances of one stream, interleaved: names of every length (the interner's
        // arena and both tables grow), a name one instance folds although another keeps it,
        // and an instance whose second name is not ASCII.
        let names = FailingNameInterner()
        let tables = (0..<3).map { _ in FailingNameTable() }
        var tallies = [NameTally](repeating: NameTally(), count: 3)
        var rng = SplitMix64(seed: 1616)
        func add(_ name: String, _ k: Int) {
            var copy = name
            copy.withUTF8 { tables[k].add(UnsafeRawBufferPointer($0), names: names) }
            tallies[k].add(name)
        }
        for i in 0..<30_000 {
            let k = i % 3
            let pick = k == 0 ? rng.below(3 * NameTally.capacity) : rng.below(200)
            let length = 1 + pick % 600
            add(String(String(repeating: "\(pick).", count: length / 2 + 1).prefix(length)), k)
            if i == 5 { add("b\u{FC}cher.example", 2) }
        }
        for k in 0..<3 { #expect(tables[k].tally(names) == tallies[k]) }
        #expect(tallies[0].foldedFailures > 0)
        #expect(tallies[1].counts.count == 200 && tallies[1].foldedNames == 0)
        #expect(tallies[2].counts["b\u{FC}cher.example"] == 1)
        #expect(names.count == NameTally.capacity + 200 - tallies[1].counts.keys.filter { tallies[0].counts[$0] != nil }.count)
    }

    @Test func anInstanceSummaryHoldsTheNamesOfItsLines() {
        let log = """
        [pod/api-0/api] 2026-11-20T10:00:01Z lookup a.example on 10.96.0.10:53: no such host
        [pod/api-0/api] 2026-11-20T10:00:02Z lookup \u{212A}.example: no such host; lookup K.example: no such host
        [pod/api-0/api] 2026-11-20T10:00:03Z lookup a.example on 10.96.0.10:53: server misbehaving
        """
        let summary = analyze(log)
        let api = summary.instances.values.first { $0.identity.name == "api-0" }
        #expect(api?.failingNames.counts == ["a.example": 2, "K.example": 2])
        #expect(summary.totals.failures == 4)
    }
}
