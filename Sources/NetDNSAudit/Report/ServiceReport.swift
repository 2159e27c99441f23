/// Lookups as order lines show them (debug level 2 only).
public struct LookupsReport: Sendable, Equatable {
    /// Order lines of the pure-Go path.
    public var go: Int
    /// Order lines with value `cgo`.
    public var cgo: Int
    /// Forward order lines by value.
    public var byOrder: Tally<LookupOrder>
    /// Reverse order lines by value.
    public var reverseByOrder: Tally<LookupOrder>
    /// False when the trace is below debug level 2: successful lookups then leave no trace.
    public var traced: Bool

    init(byPath: Tally<ResolverPath>, of s: InstanceSummary) {
        go = byPath[.go]
        cgo = byPath[.cgo]
        byOrder = s.forwardOrders
        reverseByOrder = s.reverseOrders
        traced = s.debugLevel >= 2
    }
}

/// DNS failures as the log mentions them.
public struct FailuresReport: Sendable, Equatable {
    public var total: Int
    public var byClass: Tally<FailureClass>
    public var byPath: Tally<FailurePath>
    /// The most frequent failing names (at most 10).
    public var topNames: [NameCount]
    /// Distinct names not kept because of the per-instance bound.
    public var foldedNames: Int

    init(byPath: Tally<FailurePath>, of s: InstanceSummary) {
        total = s.failures.total
        byClass = s.failures.byClass
        self.byPath = byPath
        topNames = s.failingNames.top(ServiceReport.topNameCount)
        foldedNames = s.failingNames.foldedNames
    }
}

/// One service (workload): its verdict and the sum of its instances.
public struct ServiceReport: Sendable, Equatable {
    public var name: String
    public var namespace: String?
    public var verdict: Verdict
    public var evidence: [String]
    public var libc: [Libc]
    public var processes: Int
    public var decisions: Tally<ResolverDecision>
    public var debugLevel: Int
    public var lookups: LookupsReport
    public var failures: FailuresReport
    public var firstSeen: String?
    public var lastSeen: String?
    /// The build and image faults of all instances (``FaultTally``); absent when there are none
    /// (and in reports saved before faults were read).
    public var faults: FaultTally?
    /// For a `cgo` or `mixed` service: why, from the evidence; and what to change, one line per
    /// cause and fault, after the base-image decision tree (docs/faults.md). Absent when empty.
    public var cause: [String]?
    public var advice: [String]?
    /// How many instances the service has (folded ones included; see
    /// ``InstanceSummary/foldedInstances``).
    public var instanceCount: Int
    public var instances: [InstanceReport]

    /// How many top failing names a report lists.
    public static let topNameCount = 10

    public init(name: String, namespace: String?, instances summaries: [InstanceSummary]) {
        self.name = name
        self.namespace = namespace
        let sorted = summaries.sorted { $0.identity < $1.identity }
        instances = sorted.map(InstanceReport.init)
        instanceCount = sorted.map(\.instanceCount).reduce(0, +)
        var combined = InstanceSummary(identity: InstanceIdentity(service: name, name: name, namespace: namespace))
        var byPath = Tally<FailurePath>()
        for s in sorted { combined.merge(s) }
        for i in instances { byPath.merge(i.failures.byPath) }
        verdict = ResolverAssessment.combine(instances.map(\.verdict))
        let counts = Dictionary(grouping: instances, by: \.verdict).mapValues(\.count)
        var words = [counts.sorted { $0.key < $1.key }.map { "\($0.value) instance(s) \($0.key.rawValue)" }.joined(separator: ", ")]
        for i in instances.prefix(10) {
            words.append("\(i.name): \(i.verdict.rawValue): \(i.evidence.joined(separator: "; "))")
        }
        if instances.count > 10 { words.append("... and \(instances.count - 10) more instance(s)") }
        evidence = words
        libc = combined.libc
        processes = combined.processes
        decisions = combined.decisions
        debugLevel = combined.debugLevel
        var lookupsByPath = Tally<ResolverPath>()
        for i in instances {
            lookupsByPath.add(.go, i.lookups.go)
            lookupsByPath.add(.cgo, i.lookups.cgo)
        }
        lookups = LookupsReport(byPath: lookupsByPath, of: combined)
        failures = FailuresReport(byPath: byPath, of: combined)
        firstSeen = combined.firstSeen.map(RFC3339.format)
        lastSeen = combined.lastSeen.map(RFC3339.format)
        faults = combined.faults
        let why = ResolverCause(combined, verdict: verdict)
        cause = why.cause.isEmpty ? nil : why.cause
        advice = why.advice.isEmpty ? nil : why.advice
    }
}

/// One instance: its own verdict and counts, and its raw counters for merging.
public struct InstanceReport: Sendable, Equatable {
    public var name: String
    public var container: String?
    public var files: [String]
    public var verdict: Verdict
    public var confidence: VerdictConfidence
    public var evidence: [String]
    public var libc: [Libc]
    public var processes: Int
    public var decisions: Tally<ResolverDecision>
    public var debugLevel: Int
    public var lookups: LookupsReport
    public var failures: FailuresReport
    public var firstSeen: String?
    public var lastSeen: String?
    /// The first line that shows the cgo path, and the first that shows the pure-Go path.
    public var cgoEvidence: EvidenceSample?
    public var goEvidence: EvidenceSample?
    /// The build and image faults (``FaultTally``); absent when there are none.
    public var faults: FaultTally?
    /// The raw, mergeable counters.
    public var counters: InstanceSummary

    public init(_ s: InstanceSummary) {
        let a = ResolverAssessment(s)
        name = s.identity.name
        container = s.identity.container
        files = s.files
        verdict = a.verdict
        confidence = a.confidence
        evidence = a.evidence
        libc = s.libc
        processes = s.processes
        decisions = s.decisions
        debugLevel = s.debugLevel
        lookups = LookupsReport(byPath: a.lookupsByPath, of: s)
        failures = FailuresReport(byPath: a.failuresByPath, of: s)
        firstSeen = s.firstSeen.map(RFC3339.format)
        lastSeen = s.lastSeen.map(RFC3339.format)
        cgoEvidence = s.cgoEvidence
        goEvidence = s.goEvidence
        faults = s.faults
        counters = s
    }
}
