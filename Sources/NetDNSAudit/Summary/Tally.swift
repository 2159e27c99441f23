/// Counts per key, encoded in JSON as an object keyed by the key's raw value.
///
/// The building block of every mergeable summary: merging adds the counts.
public struct Tally<Key: Hashable & Comparable & RawRepresentable & Sendable>: Sendable, Equatable, Codable
where Key.RawValue == String {
    public private(set) var counts: [Key: Int] = [:]

    public init() {}

    public init(_ counts: [Key: Int]) { self.counts = counts.filter { $0.value != 0 } }

    /// The count for `key` (0 when never added).
    public subscript(key: Key) -> Int { counts[key] ?? 0 }

    /// Adds `n` to the count of `key`.
    public mutating func add(_ key: Key, _ n: Int = 1) {
        guard n != 0 else { return }
        counts[key, default: 0] += n
    }

    /// The sum of all counts.
    public var total: Int { counts.values.reduce(0, +) }

    public var isEmpty: Bool { counts.isEmpty }

    /// The keys in ascending order.
    public var sortedKeys: [Key] { counts.keys.sorted() }

    /// Adds every count of `other`.
    public mutating func merge(_ other: Tally) {
        for (key, n) in other.counts { add(key, n) }
    }

    public func merging(_ other: Tally) -> Tally {
        var copy = self
        copy.merge(other)
        return copy
    }

    public init(from decoder: Decoder) throws {
        let raw = try decoder.singleValueContainer().decode([String: Int].self)
        for (name, n) in raw {
            guard let key = Key(rawValue: name) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown key '\(name)'"))
            }
            add(key, n)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }))
    }
}
