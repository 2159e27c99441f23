import Testing
@testable import NetDNSAudit

/// An instance's counter block adds up to the summary that counting each line in the summary gives.
@Suite struct InstanceCountersTests {
    static func withBlock(_ body: (InstanceCounters) -> Void) {
        let block = UnsafeMutablePointer<Int>.allocate(capacity: InstanceCounters.words)
        block.initialize(repeating: 0, count: InstanceCounters.words)
        defer { block.deallocate() }
        body(InstanceCounters(block: block))
    }

    @Test func layoutHoldsEveryCountApart() {
        #expect(InstanceCounters.layoutHolds)
        let indices = Set(FailureShape.allCases.flatMap { s in FailureClass.allCases.map { InstanceCounters.failureIndex(s, $0) } })
        #expect(indices == Set(0..<(FailureShape.allCases.count * FailureClass.allCases.count)))
        #expect(LookupNameClass.allCases.map(\.countIndex) == Array(0..<LookupNameClass.allCases.count))
    }

    @Test func countersGiveTheSummaryOfEveryLine() {
        var rng = SplitMix64(seed: 3)
        var expected = InstanceSummary(identity: InstanceIdentity(service: "s", name: "p"))
        var summary = expected
        Self.withBlock { counters in
            for _ in 0..<5_000 {
                switch rng.below(3) {
                case 0:
                    let shape = FailureShape.allCases[rng.below(FailureShape.allCases.count)]
                    let failureClass = FailureClass.allCases[rng.below(FailureClass.allCases.count)]
                    counters.addFailure(shape, failureClass)
                    expected.failures.add(shape, failureClass)
                    if rng.below(2) == 0 {
                        counters.countFailureLine()
                        expected.failureLines += 1
                    }
                case 1:
                    let order = LookupOrder.named[rng.below(LookupOrder.named.count)]
                    let direction: LookupDirection = rng.below(2) == 0 ? .forward : .reverse
                    counters.addOrder(direction, namedIndex: order.kind!.namedIndex!)
                    expected.traceLines += 1
                    expected.debugLevel = 2
                    if direction == .forward { expected.forwardOrders.add(order) } else { expected.reverseOrders.add(order) }
                default:
                    let nameClass = LookupNameClass.allCases[rng.below(LookupNameClass.allCases.count)]
                    counters.addCgoName(nameClass)
                    expected.cgoLookupNames.add(nameClass)
                }
            }
            #expect(!counters.has(.goEvidence))
            counters.note(.goEvidence)
            counters.note(.musl)
            #expect(counters.has(.goEvidence) && counters.has(.libc(.musl)))
            #expect(!counters.has(.cgoEvidence) && !counters.has(.libc(.glibc)))
            #expect(counters.names == nil)
            counters.add(to: &summary)
        }
        #expect(summary == expected)
        #expect(summary.failures.total + summary.traceLines + summary.cgoLookupNames.total == 5_000)
    }

    @Test func nameStopBytesAreTheOnesTheScannerTests() {
        for b in 0...255 {
            let byte = UInt8(b)
            let expected = byte <= 0x20 || byte == 0x22 || byte == 0x3A || byte == 0x5C || byte == 0x7F
            #expect(DNSFailureScanner.isNameStop(byte) == expected, "\(b)")
        }
    }
}
