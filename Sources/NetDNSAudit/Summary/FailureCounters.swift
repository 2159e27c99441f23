/// The DNS failures of one instance while its stream is read: a counter per shape and class in
/// one small block, so counting a failure hashes nothing. Added to the instance's
/// ``FailureTally`` when its summary is built (`InstanceTable.summary(ofSlot:)`).
final class FailureCounters {
    static let classes = FailureClass.allCases.count
    private let counts: UnsafeMutablePointer<Int>
    private static let size = FailureShape.allCases.count * classes

    init() {
        counts = .allocate(capacity: Self.size)
        counts.initialize(repeating: 0, count: Self.size)
    }

    deinit { counts.deallocate() }

    /// Counts one failure.
    @inline(__always)
    func add(_ shape: FailureShape, _ failureClass: FailureClass) {
        counts[Self.index(shape) * Self.classes + Self.index(failureClass)] += 1
    }

    /// Adds every count to `tally`.
    func add(to tally: inout FailureTally) {
        for shape in FailureShape.allCases {
            for failureClass in FailureClass.allCases {
                let n = counts[Self.index(shape) * Self.classes + Self.index(failureClass)]
                if n > 0 { tally.add(shape, failureClass, count: n) }
            }
        }
    }

    @inline(__always)
    static func index(_ shape: FailureShape) -> Int {
        switch shape {
        case .serverNamed: return 0
        case .libcText: return 1
        case .ambiguousNoSuchHost: return 2
        case .serverlessOther: return 3
        }
    }

    @inline(__always)
    static func index(_ failureClass: FailureClass) -> Int {
        switch failureClass {
        case .nxdomain: return 0
        case .servfail: return 1
        case .timeout: return 2
        case .refused: return 3
        case .temporary: return 4
        case .nodata: return 5
        case .other: return 6
        }
    }
}
