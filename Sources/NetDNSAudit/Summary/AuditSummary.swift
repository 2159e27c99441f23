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
        for (identity, summary) in other.instances {
            if var mine = instances[identity] {
                mine.merge(summary)
                instances[identity] = mine
            } else {
                instances[identity] = summary
            }
        }
    }

    public func merging(_ other: AuditSummary) -> AuditSummary {
        var copy = self
        copy.merge(other)
        return copy
    }

    /// Moves every instance into the service `name` (the `--service` override).
    public mutating func assignService(_ name: String) {
        var moved: [InstanceIdentity: InstanceSummary] = [:]
        for (identity, var summary) in instances {
            var id = identity
            id.service = name
            summary.identity = id
            if var existing = moved[id] {
                existing.merge(summary)
                moved[id] = existing
            } else {
                moved[id] = summary
            }
        }
        instances = moved
    }

    private enum CodingKeys: String, CodingKey { case totals, instances }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        totals = try c.decode(InputTotals.self, forKey: .totals)
        let list = try c.decode([InstanceSummary].self, forKey: .instances)
        for s in list {
            if var existing = instances[s.identity] { existing.merge(s); instances[s.identity] = existing } else { instances[s.identity] = s }
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(totals, forKey: .totals)
        try c.encode(instances.values.sorted { $0.identity < $1.identity }, forKey: .instances)
    }
}
