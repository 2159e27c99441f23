import Testing
@testable import NetDNSAudit

/// The per-instance failure counters add up to the tally that adding each failure gives.
@Suite struct FailureCountersTests {
    @Test func countersGiveTheTallyOfEveryFailure() {
        var rng = SplitMix64(seed: 3)
        let counters = FailureCounters()
        var expected = FailureTally()
        for _ in 0..<5_000 {
            let shape = FailureShape.allCases[rng.below(FailureShape.allCases.count)]
            let failureClass = FailureClass.allCases[rng.below(FailureClass.allCases.count)]
            counters.add(shape, failureClass)
            expected.add(shape, failureClass)
        }
        var tally = FailureTally()
        counters.add(to: &tally)
        #expect(tally == expected)
        #expect(tally.total == 5_000)
        // Distinct indices for every pair.
        let indices = Set(FailureShape.allCases.flatMap { s in
            FailureClass.allCases.map { FailureCounters.index(s) * FailureCounters.classes + FailureCounters.index($0) }
        })
        #expect(indices.count == FailureShape.allCases.count * FailureClass.allCases.count)
    }

    @Test func nameStopBytesAreTheOnesTheScannerTests() {
        for b in 0...255 {
            let byte = UInt8(b)
            let expected = byte <= 0x20 || byte == 0x22 || byte == 0x3A || byte == 0x5C || byte == 0x7F
            #expect(DNSFailureScanner.isNameStop(byte) == expected, "\(b)")
        }
    }
}
