/// The counters of one instance that its order and failure lines change, as one block of words
/// in its stream's ``InstanceTable`` (every instance's block beside the next, made with its row):
/// such a line touches its instance's bucket and this block, and nothing else of its row (the
/// summary, a few hundred bytes, and the tables it points to, missed the cache on most failure
/// lines of an outage). Counting hashes nothing and makes no `String`. The counts are added to
/// the instance's summary when it is built (``add(to:names:)``).
///
/// A view: it holds the block's address, valid until the table makes its next row.
struct InstanceCounters {
    /// Word offsets in a block.
    private enum Word {
        /// Lines with a DNS failure.
        static let failureLines = 0
        /// Order lines counted here (forward and reverse, named values).
        static let orderLines = 1
        /// What the summary already holds (``Noted``).
        static let noted = 2
        /// The instance's ``FailingNameTable``, unretained (its row holds it); 0 until the first failure.
        static let names = 3
        /// Forward and reverse order lines by ``LookupOrder/Kind/namedIndex``.
        static let forwardOrders = 4
        static let reverseOrders = 9
        /// Forward `cgo` order lines by ``LookupNameClass/countIndex``.
        static let cgoNames = 14
        /// Failures by shape and class (``failureIndex(_:_:)``).
        static let failures = 20
    }

    /// The counts of each list, as literals (the offsets above follow from them; tested).
    static let namedOrders = 5
    static let nameClasses = 6
    static let shapes = 4
    static let classes = 7

    /// Facts the summary already holds, so their line need not look at it again.
    struct Noted: OptionSet {
        let rawValue: Int
        static let goEvidence = Noted(rawValue: 1 << 0)
        static let cgoEvidence = Noted(rawValue: 1 << 1)
        static let glibc = Noted(rawValue: 1 << 2)
        static let musl = Noted(rawValue: 1 << 3)

        static func libc(_ flavour: Libc) -> Noted { flavour == .glibc ? .glibc : .musl }
    }

    /// The words of a block: a whole number of 64-byte lines.
    static let words = 48

    /// Whether the layout holds every count apart (the tests ask).
    static var layoutHolds: Bool {
        namedOrders == LookupOrder.named.count && nameClasses == LookupNameClass.allCases.count
            && shapes == FailureShape.allCases.count && classes == FailureClass.allCases.count
            && Word.reverseOrders == Word.forwardOrders + namedOrders && Word.cgoNames == Word.reverseOrders + namedOrders
            && Word.failures == Word.cgoNames + nameClasses && Word.failures + shapes * classes <= words && words % 8 == 0
    }

    let block: UnsafeMutablePointer<Int>

    /// Counts a line with a DNS failure.
    @inline(__always)
    func countFailureLine() { block[Word.failureLines] += 1 }

    /// Counts one failure.
    @inline(__always)
    func addFailure(_ shape: FailureShape, _ failureClass: FailureClass) {
        block[Word.failures + Self.failureIndex(shape, failureClass)] += 1
    }

    /// Counts an order line of a named value (``LookupOrder/Kind/namedIndex``).
    @inline(__always)
    func addOrder(_ direction: LookupDirection, namedIndex: Int) {
        block[Word.orderLines] += 1
        block[(direction == .forward ? Word.forwardOrders : Word.reverseOrders) + namedIndex] += 1
    }

    /// Counts the name class of a forward `cgo` order line.
    @inline(__always)
    func addCgoName(_ nameClass: LookupNameClass) { block[Word.cgoNames + nameClass.countIndex] += 1 }

    /// Whether the summary holds `fact` yet.
    @inline(__always)
    func has(_ fact: Noted) -> Bool { block[Word.noted] & fact.rawValue != 0 }

    /// Remembers that the summary now holds `fact`.
    @inline(__always)
    func note(_ fact: Noted) { block[Word.noted] |= fact.rawValue }

    /// The instance's failing names (`nil` before its first failure).
    @inline(__always)
    var names: Unmanaged<FailingNameTable>? {
        let bits = UInt(bitPattern: block[Word.names])
        guard let pointer = UnsafeRawPointer(bitPattern: bits) else { return nil }
        return Unmanaged.fromOpaque(pointer)
    }

    /// Keeps the instance's failing names, which its row holds.
    func setNames(_ table: FailingNameTable) {
        block[Word.names] = Int(bitPattern: UInt(bitPattern: Unmanaged.passUnretained(table).toOpaque()))
    }

    /// Adds every count to `summary` (order lines: traced at debug level 2).
    func add(to summary: inout InstanceSummary) {
        summary.failureLines += block[Word.failureLines]
        let orderLines = block[Word.orderLines]
        if orderLines > 0 {
            summary.traceLines += orderLines
            summary.debugLevel = 2
        }
        for (i, order) in LookupOrder.named.enumerated() {
            summary.forwardOrders.add(order, block[Word.forwardOrders + i])
            summary.reverseOrders.add(order, block[Word.reverseOrders + i])
        }
        for nameClass in LookupNameClass.allCases { summary.cgoLookupNames.add(nameClass, block[Word.cgoNames + nameClass.countIndex]) }
        for shape in FailureShape.allCases {
            for failureClass in FailureClass.allCases {
                let n = block[Word.failures + Self.failureIndex(shape, failureClass)]
                if n > 0 { summary.failures.add(shape, failureClass, count: n) }
            }
        }
    }

    @inline(__always)
    static func failureIndex(_ shape: FailureShape, _ failureClass: FailureClass) -> Int {
        index(shape) * classes + index(failureClass)
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

extension LookupNameClass {
    /// The class's place among ``InstanceCounters``' counts (the order of `allCases`).
    @inline(__always)
    var countIndex: Int {
        switch self {
        case .escaped: return 0
        case .mdns: return 1
        case .clusterLocal: return 2
        case .localhost: return 3
        case .ownHost: return 4
        case .other: return 5
        }
    }
}
