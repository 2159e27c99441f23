/// Everything the log shows about one instance, as counters that merge.
///
/// Merging two summaries of the same instance adds their counts; conclusions (verdict,
/// failure paths) are never stored but derived by ``ResolverAssessment`` from the counters,
/// so they stay right after any merge.
public struct InstanceSummary: Sendable, Equatable, Codable {
    public var identity: InstanceIdentity
    /// The files the instance's lines were read from (sorted, `-` for standard input).
    public var files: [String] = []
    /// Lines attributed to this instance.
    public var lines = 0
    /// Recognised trace lines (decision, notice, confVal and order lines, rebuilt ones included).
    public var traceLines = 0
    /// Lines that mention at least one DNS failure.
    public var failureLines = 0
    /// Decision lines by decision: each one is a process start.
    public var decisions = Tally<ResolverDecision>()
    /// `GODEBUG=netdns contains an invalid dns mode` notices.
    public var invalidModeNotices = 0
    /// `confVal.netCgo = ...` lines.
    public var confValLines = 0
    /// The highest `netdns` debug level the trace shows: 0 (none), 1 or 2.
    public var debugLevel = 0
    /// Forward order lines by value.
    public var forwardOrders = Tally<LookupOrder>()
    /// Reverse order lines by value (`addrLookupOrder`, go1.19's `hostLookupOrder()`).
    public var reverseOrders = Tally<LookupOrder>()
    /// Forward `cgo` order lines by the kind of name looked up (``LookupNameClass``): shows
    /// when only some names go to libc (mDNS, myhostname, `%` or `\\`).
    public var cgoLookupNames = Tally<LookupNameClass>()
    /// DNS failures by text shape and class.
    public var failures = FailureTally()
    /// The names that failed.
    public var failingNames = NameTally()
    /// The libc flavours the error texts reveal (sorted).
    public var libc: [Libc] = []
    /// The first and last envelope timestamp, in nanoseconds since 1970.
    public var firstSeen: Int64?
    public var lastSeen: Int64?
    /// The earliest line showing the cgo path, and the earliest showing the pure-Go path.
    public var cgoEvidence: EvidenceSample?
    public var goEvidence: EvidenceSample?
    /// Build and image faults (``FaultTally``); `nil` on the wire when there are none, so that
    /// reports without faults, and reports saved before faults were read, look the same.
    public var faults: FaultTally?
    /// For the row named ``foldedRowName``: how many instances were folded into it because a
    /// stream held more than ``StreamAnalyzer/detailedInstanceLimit`` instances; 0 otherwise.
    public var foldedInstances = 0

    /// The name of a service's row of folded instances.
    public static let foldedRowName = "(folded instances)"

    /// How many instances this summary stands for.
    public var instanceCount: Int { identity.name == Self.foldedRowName ? foldedInstances : 1 }

    public init(identity: InstanceIdentity) {
        self.identity = identity
    }

    /// Decision lines: one per process start (at debug level 1 or 2).
    public var processes: Int { decisions.total }

    /// Order lines of both directions by value.
    public var allOrders: Tally<LookupOrder> { forwardOrders.merging(reverseOrders) }

    /// Records a libc flavour.
    public mutating func noteLibc(_ flavour: Libc) {
        if !libc.contains(flavour) {
            libc.append(flavour)
            libc.sort()
        }
    }

    /// Records an envelope timestamp.
    public mutating func noteTimestamp(_ t: Int64) {
        if firstSeen == nil || t < firstSeen! { firstSeen = t }
        if lastSeen == nil || t > lastSeen! { lastSeen = t }
    }

    /// Adds the counts of `other`, a summary of the same instance from other input.
    public mutating func merge(_ other: InstanceSummary) {
        files = SortedNames.union(files, other.files)
        lines += other.lines
        traceLines += other.traceLines
        failureLines += other.failureLines
        decisions.merge(other.decisions)
        invalidModeNotices += other.invalidModeNotices
        confValLines += other.confValLines
        debugLevel = max(debugLevel, other.debugLevel)
        forwardOrders.merge(other.forwardOrders)
        reverseOrders.merge(other.reverseOrders)
        cgoLookupNames.merge(other.cgoLookupNames)
        failures.merge(other.failures)
        failingNames.merge(other.failingNames)
        for flavour in other.libc { noteLibc(flavour) }
        if let t = other.firstSeen { noteTimestamp(t) }
        if let t = other.lastSeen { noteTimestamp(t) }
        cgoEvidence = EvidenceSample.earliest(cgoEvidence, other.cgoEvidence)
        goEvidence = EvidenceSample.earliest(goEvidence, other.goEvidence)
        foldedInstances += other.foldedInstances
        if let theirs = other.faults { faultTally.merge(theirs) }
    }

    /// The faults, empty when there are none (setting an empty tally stores `nil`).
    public var faultTally: FaultTally {
        get { faults ?? FaultTally() }
        set { faults = newValue.isEmpty ? nil : newValue }
    }
}
