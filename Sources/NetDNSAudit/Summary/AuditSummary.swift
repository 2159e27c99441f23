/// The mergeable result of analysing some input: totals and one summary per instance.
///
/// `merge` is associative and commutative: the summary of inputs A and B equals the merge
/// of their summaries, when A and B hold different instances (and, counter by counter,
/// also when they share instances).
public struct AuditSummary: Sendable, Equatable, Codable {
    public var totals = InputTotals()
    public var instances: [InstanceIdentity: InstanceSummary] = [:]

    public init() {}

    /// Adds `other` into this summary.
    public mutating func merge(_ other: AuditSummary) {
        totals.merge(other.totals)
        for summary in other.instances.values { add(summary) }
    }

    /// Adds one instance's counters, merged with those already held for the same identity.
    public mutating func add(_ summary: InstanceSummary) {
        if var mine = instances[summary.identity] {
            mine.merge(summary)
            instances[summary.identity] = mine
        } else {
            instances[summary.identity] = summary
        }
    }

    public func merging(_ other: AuditSummary) -> AuditSummary {
        var copy = self
        copy.merge(other)
        return copy
    }

    /// Moves every instance into the service `name` (the `--service` override).
    public mutating func assignService(_ name: String) {
        let old = instances.values
        instances = [:]
        for var summary in old {
            summary.identity.service = name
            add(summary)
        }
    }

    private enum CodingKeys: String, CodingKey { case totals, instances }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        totals = try c.decode(InputTotals.self, forKey: .totals)
        let list = try c.decode([InstanceSummary].self, forKey: .instances)
        for s in list { add(s) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(totals, forKey: .totals)
        try c.encode(instances.values.sorted { $0.identity < $1.identity }, forKey: .instances)
    }
}
