/// The build and image faults of one instance, as counters that merge.
public struct FaultTally: Sendable, Equatable, Codable {
    /// Messages showing each fault (for ``FaultKind/cgoResolverStack``: goroutine dumps with cgo
    /// resolver frames).
    public var byKind = Tally<FaultKind>()
    /// The earliest message showing each kind, with its file and line.
    public var first: [FaultKind: EvidenceSample] = [:]
    /// The highest `GLIBC_X.Y` a ``FaultKind/glibcVersion`` message asked for.
    public var highestGlibc: GlibcSymbolVersion?
    /// Goroutines with a getaddrinfo frame in the dumps: lookups stuck in libc's resolver.
    public var getaddrinfoGoroutines = 0
    /// Goroutine dumps with frames of the pure-Go resolver, and the goroutines with such frames.
    public var goResolverStacks = 0
    public var goResolverGoroutines = 0

    public init() {}

    public var isEmpty: Bool { byKind.isEmpty && goResolverStacks == 0 }

    /// Counts one message showing `kind`, read at `sample`.
    public mutating func note(_ kind: FaultKind, sample: @autoclosure () -> EvidenceSample) {
        byKind.add(kind)
        if first[kind] == nil { first[kind] = sample() }
    }

    /// Records a `GLIBC_X.Y` a message asked for.
    public mutating func noteGlibc(_ version: GlibcSymbolVersion) {
        if highestGlibc.map({ $0 < version }) ?? true { highestGlibc = version }
    }

    /// Adds the counts of `other` (of the same instance, from other input).
    public mutating func merge(_ other: FaultTally) {
        byKind.merge(other.byKind)
        for (kind, sample) in other.first { first[kind] = EvidenceSample.earliest(first[kind], sample) }
        if let v = other.highestGlibc { noteGlibc(v) }
        getaddrinfoGoroutines += other.getaddrinfoGoroutines
        goResolverStacks += other.goResolverStacks
        goResolverGoroutines += other.goResolverGoroutines
    }

    /// The earliest sample of any kind.
    public var earliest: (FaultKind, EvidenceSample)? {
        first.min { ($0.value, $0.key) < ($1.value, $1.key) }.map { ($0.key, $0.value) }
    }

    private enum CodingKeys: String, CodingKey {
        case byKind, first, highestGlibc, getaddrinfoGoroutines, goResolverStacks, goResolverGoroutines
    }

    /// One kind's first sample on the wire.
    struct FirstSample: Codable {
        var kind: FaultKind
        var text: String
        var file: String
        var line: Int
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        byKind = try c.decodeIfPresent(Tally<FaultKind>.self, forKey: .byKind) ?? Tally()
        for s in try c.decodeIfPresent([FirstSample].self, forKey: .first) ?? [] {
            first[s.kind] = EvidenceSample(text: s.text, file: s.file, line: s.line)
        }
        highestGlibc = try c.decodeIfPresent(GlibcSymbolVersion.self, forKey: .highestGlibc)
        getaddrinfoGoroutines = try c.decodeIfPresent(Int.self, forKey: .getaddrinfoGoroutines) ?? 0
        goResolverStacks = try c.decodeIfPresent(Int.self, forKey: .goResolverStacks) ?? 0
        goResolverGoroutines = try c.decodeIfPresent(Int.self, forKey: .goResolverGoroutines) ?? 0
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(byKind, forKey: .byKind)
        let samples = first.sorted { $0.key < $1.key }.map {
            FirstSample(kind: $0.key, text: $0.value.text, file: $0.value.file, line: $0.value.line)
        }
        try c.encode(samples, forKey: .first)
        try c.encodeIfPresent(highestGlibc, forKey: .highestGlibc)
        try c.encode(getaddrinfoGoroutines, forKey: .getaddrinfoGoroutines)
        try c.encode(goResolverStacks, forKey: .goResolverStacks)
        try c.encode(goResolverGoroutines, forKey: .goResolverGoroutines)
    }
}
