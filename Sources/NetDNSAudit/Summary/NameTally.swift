/// Failing names and how often each failed, bounded so that hostile input cannot exhaust memory.
///
/// Once ``capacity`` distinct names are held, further new names are not stored: their
/// failures are counted in ``foldedFailures`` and the names in ``foldedNames`` (an upper
/// bound when tallies merge). Totals stay exact.
public struct NameTally: Sendable, Equatable, Codable {
    /// How many distinct names one tally keeps.
    public static let capacity = 1000

    public private(set) var counts: [String: Int] = [:]
    /// Distinct names that were not kept (may count a name twice across merged tallies).
    public private(set) var foldedNames: Int = 0
    /// Failures of names that were not kept.
    public private(set) var foldedFailures: Int = 0

    public init() {}

    /// A tally holding `counts` (at most ``capacity`` names) and what was folded: the state
    /// that ``add(_:_:)`` reaches; how `FailingNameTable` hands over the names it counted.
    init(counts: [String: Int], foldedNames: Int, foldedFailures: Int) {
        self.counts = counts
        self.foldedNames = foldedNames
        self.foldedFailures = foldedFailures
    }

    public mutating func add(_ name: String, _ n: Int = 1) {
        if let i = counts.index(forKey: name) {
            counts.values[i] += n   // one hash of the name, not two
        } else if counts.count < Self.capacity {
            counts[name] = n
        } else {
            foldedNames += 1
            foldedFailures += n
        }
    }

    /// Counts names that were folded elsewhere (a saved report's `foldedNames` and
    /// `foldedFailures`).
    public mutating func addFolded(names: Int, failures: Int) {
        foldedNames += names
        foldedFailures += failures
    }

    /// Adds `other`. When the union holds more than twice ``capacity`` names, the ``capacity``
    /// most frequent are kept (ties by name).
    ///
    /// Always commutative. While the union of all merged tallies holds at most 2 x ``capacity``
    /// names, merging is also associative and equals the tally of the whole input; beyond
    /// that, which names are kept may depend on the grouping of merges (a name dropped early
    /// loses its count to ``foldedFailures``), but the total number of failures stays exact.
    public mutating func merge(_ other: NameTally) {
        counts.merge(other.counts, uniquingKeysWith: +)
        foldedNames += other.foldedNames
        foldedFailures += other.foldedFailures
        // Trimming sorts, so it waits until twice the capacity is held (amortised cost); a
        // report reads the tally through `top`, which ranks what is held either way.
        if counts.count > 2 * Self.capacity {
            let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            for (name, n) in ranked[Self.capacity...] {
                counts[name] = nil
                foldedNames += 1
                foldedFailures += n
            }
        }
    }

    /// Keeps the `limit` most frequent names (ties by name); the others are folded. What
    /// ``AuditSummary/applyLimits()`` does to every tally of a merged summary.
    public mutating func trim(to limit: Int) {
        guard counts.count > limit else { return }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        for (name, n) in ranked[limit...] {
            counts[name] = nil
            foldedNames += 1
            foldedFailures += n
        }
    }

    /// Whether names were folded or more than ``capacity`` are held: a tally one stream could
    /// not have made without folding.
    public var exceedsCapacity: Bool { foldedNames > 0 || counts.count > Self.capacity }

    /// The `limit` most frequent names, ties broken by name.
    public func top(_ limit: Int) -> [NameCount] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(limit).map { NameCount(name: $0.key, count: $0.value) }
    }
}

/// A name and its failure count.
public struct NameCount: Sendable, Equatable, Codable {
    public var name: String
    public var count: Int
}
