import Foundation

/// The saved report as written: its own types, separate from the working structs
/// (``AuditSummary``, ``InstanceSummary``, ``InputTotals``), so that a change to those can
/// never silently change the file format. docs/reports.md describes every key and the rule
/// for `schemaVersion`.
///
/// Only `schemaVersion`, `totals` and each instance's `counters` are read back
/// (``WireReportDecoder``); every other key is derived from the counters, for people and
/// scripts, and is rebuilt when a report is read.
struct WireDocument {
    var schemaVersion: Int
    var tool: String
    var totals: WireTotals
    /// The services, each made into its ``WireService`` as it is written (one at a time).
    var services: [ServiceReport]

    init(_ report: AuditReport) {
        schemaVersion = AuditReport.currentSchemaVersion
        tool = report.tool
        totals = WireTotals(report.totals)
        services = report.services
    }
}

/// `totals`: what was read, every line in exactly one bucket (`lines` is their sum).
struct WireTotals: Equatable {
    var bytes = 0
    var lines = 0
    var recognisedTraceLines = 0
    var unrecognisedTraceLines = 0
    var tornLines = 0
    var rebuiltTraceLines = 0
    var failureLines = 0
    var ordinaryLines = 0
    var overlongLines = 0
    var continuationLines = 0
    var binaryLines = 0
    var failures = 0
    var unattributedLines = 0
    var files = 0
    var readErrors = 0
    var binaryFilesSkipped: [String] = []
    var unrecognisedTraceSamples: [String] = []

    init() {}

    init(_ t: InputTotals) {
        bytes = t.bytes
        lines = t.lines
        recognisedTraceLines = t.recognisedTraceLines
        unrecognisedTraceLines = t.unrecognisedTraceLines
        tornLines = t.tornLines
        rebuiltTraceLines = t.rebuiltTraceLines
        failureLines = t.failureLines
        ordinaryLines = t.ordinaryLines
        overlongLines = t.overlongLines
        continuationLines = t.continuationLines
        binaryLines = t.binaryLines
        failures = t.failures
        unattributedLines = t.unattributedLines
        files = t.files
        readErrors = t.readErrors
        binaryFilesSkipped = t.binaryFilesSkipped
        unrecognisedTraceSamples = t.unrecognisedTraceSamples
    }

    /// The working totals.
    var totals: InputTotals {
        var t = InputTotals()
        t.bytes = bytes
        t.lines = lines
        t.recognisedTraceLines = recognisedTraceLines
        t.unrecognisedTraceLines = unrecognisedTraceLines
        t.tornLines = tornLines
        t.rebuiltTraceLines = rebuiltTraceLines
        t.failureLines = failureLines
        t.ordinaryLines = ordinaryLines
        t.overlongLines = overlongLines
        t.continuationLines = continuationLines
        t.binaryLines = binaryLines
        t.failures = failures
        t.unattributedLines = unattributedLines
        t.files = files
        t.readErrors = readErrors
        t.binaryFilesSkipped = binaryFilesSkipped
        for sample in unrecognisedTraceSamples { t.noteUnrecognisedSample(sample) }
        return t
    }
}

/// `counters`: one instance's raw, mergeable counts.
///
/// `firstSeen` and `lastSeen` are nanoseconds since 1970 written as decimal strings (schema
/// 2): as JSON numbers they exceed 2^53, and JavaScript and jq would read them rounded.
/// Schema 1 wrote them as numbers; both are read.
struct WireCounters {
    var identity: WireIdentity
    var files: [String]
    var lines: Int
    var traceLines: Int
    var failureLines: Int
    var decisions: [String: Int]
    var invalidModeNotices: Int
    var confValLines: Int
    var debugLevel: Int
    var forwardOrders: [String: Int]
    var reverseOrders: [String: Int]
    /// Absent when no forward lookup went to cgo (docs/reports.md).
    var cgoLookupNames: [String: Int]?
    var failures: WireFailureTally
    var failingNames: WireNameTally
    var libc: [String]
    var firstSeen: String?
    var lastSeen: String?
    var cgoEvidence: WireEvidence?
    var goEvidence: WireEvidence?
    var foldedInstances: Int
    /// Absent when the instance shows no fault (docs/faults.md).
    var faults: WireFaults?

    init(_ s: InstanceSummary) {
        identity = WireIdentity(s.identity)
        files = s.files
        lines = s.lines
        traceLines = s.traceLines
        failureLines = s.failureLines
        decisions = wireTally(s.decisions)
        invalidModeNotices = s.invalidModeNotices
        confValLines = s.confValLines
        debugLevel = s.debugLevel
        forwardOrders = wireTally(s.forwardOrders)
        reverseOrders = wireTally(s.reverseOrders)
        cgoLookupNames = s.cgoLookupNames.total == 0 ? nil : wireTally(s.cgoLookupNames)
        failures = WireFailureTally(s.failures)
        failingNames = WireNameTally(s.failingNames)
        libc = s.libc.map(\.rawValue)
        firstSeen = s.firstSeen.map { String($0) }
        lastSeen = s.lastSeen.map { String($0) }
        cgoEvidence = s.cgoEvidence.map(WireEvidence.init)
        goEvidence = s.goEvidence.map(WireEvidence.init)
        foldedInstances = s.foldedInstances
        faults = s.faults.map(WireFaults.init)
    }
}

/// `faults`: an instance's (or service's) build and image faults (``FaultTally``).
struct WireFaults {
    var byKind: [String: Int]
    var first: [WireFirstFault]
    var highestGlibc: String?
    var getaddrinfoGoroutines: Int
    var goResolverStacks: Int
    var goResolverGoroutines: Int

    init(_ f: FaultTally) {
        byKind = wireTally(f.byKind)
        first = f.first.sorted { $0.key < $1.key }.map { WireFirstFault(kind: $0.key.rawValue, text: $0.value.text, file: $0.value.file, line: $0.value.line) }
        highestGlibc = f.highestGlibc?.description
        getaddrinfoGoroutines = f.getaddrinfoGoroutines
        goResolverStacks = f.goResolverStacks
        goResolverGoroutines = f.goResolverGoroutines
    }
}

struct WireFirstFault {
    var kind: String
    var text: String
    var file: String
    var line: Int
}

struct WireIdentity {
    var service: String
    var name: String
    var container: String?
    var namespace: String?

    init(_ i: InstanceIdentity) {
        service = i.service
        name = i.name
        container = i.container
        namespace = i.namespace
    }
}

struct WireFailureTally {
    var serverNamed: [String: Int]
    var libcText: [String: Int]
    var ambiguousNoSuchHost: Int
    var serverlessOther: [String: Int]

    init(_ f: FailureTally) {
        serverNamed = wireTally(f.serverNamed)
        libcText = wireTally(f.libcText)
        ambiguousNoSuchHost = f.ambiguousNoSuchHost
        serverlessOther = wireTally(f.serverlessOther)
    }
}

struct WireNameTally {
    var counts: [String: Int]
    var foldedNames: Int
    var foldedFailures: Int

    init(_ n: NameTally) {
        counts = n.counts
        foldedNames = n.foldedNames
        foldedFailures = n.foldedFailures
    }
}

struct WireEvidence {
    var text: String
    var file: String
    var line: Int

    init(_ e: EvidenceSample) {
        text = e.text
        file = e.file
        line = e.line
    }
}

/// A tally as a JSON object keyed by the key's name.
func wireTally<K>(_ t: Tally<K>) -> [String: Int] {
    Dictionary(uniqueKeysWithValues: t.counts.map { ($0.key.rawValue, $0.value) })
}

// MARK: Derived fields (written, never read)

struct WireService {
    var name: String
    var namespace: String?
    var verdict: String
    var evidence: [String]
    var libc: [String]
    var processes: Int
    var decisions: [String: Int]
    var debugLevel: Int
    var lookups: WireLookups
    var failures: WireFailures
    var firstSeen: String?
    var lastSeen: String?
    var instanceCount: Int
    var instances: [WireInstance]
    var faults: WireFaults?
    var cause: [String]?
    var advice: [String]?

    init(_ s: ServiceReport) {
        name = s.name
        namespace = s.namespace
        verdict = s.verdict.rawValue
        evidence = s.evidence
        libc = s.libc.map(\.rawValue)
        processes = s.processes
        decisions = wireTally(s.decisions)
        debugLevel = s.debugLevel
        lookups = WireLookups(s.lookups)
        failures = WireFailures(s.failures)
        firstSeen = s.firstSeen
        lastSeen = s.lastSeen
        instanceCount = s.instanceCount
        instances = s.instances.map(WireInstance.init)
        faults = s.faults.map(WireFaults.init)
        cause = s.cause
        advice = s.advice
    }
}

struct WireInstance {
    var name: String
    var container: String?
    var files: [String]
    var verdict: String
    var confidence: String
    var evidence: [String]
    var libc: [String]
    var processes: Int
    var decisions: [String: Int]
    var debugLevel: Int
    var lookups: WireLookups
    var failures: WireFailures
    var firstSeen: String?
    var lastSeen: String?
    var cgoEvidence: WireEvidence?
    var goEvidence: WireEvidence?
    var faults: WireFaults?
    var counters: WireCounters

    init(_ i: InstanceReport) {
        name = i.name
        container = i.container
        files = i.files
        verdict = i.verdict.rawValue
        confidence = i.confidence.rawValue
        evidence = i.evidence
        libc = i.libc.map(\.rawValue)
        processes = i.processes
        decisions = wireTally(i.decisions)
        debugLevel = i.debugLevel
        lookups = WireLookups(i.lookups)
        failures = WireFailures(i.failures)
        firstSeen = i.firstSeen
        lastSeen = i.lastSeen
        cgoEvidence = i.cgoEvidence.map(WireEvidence.init)
        goEvidence = i.goEvidence.map(WireEvidence.init)
        faults = i.faults.map(WireFaults.init)
        counters = WireCounters(i.counters)
    }
}

struct WireLookups {
    var go: Int
    var cgo: Int
    var byOrder: [String: Int]
    var reverseByOrder: [String: Int]
    var traced: Bool

    init(_ l: LookupsReport) {
        go = l.go
        cgo = l.cgo
        byOrder = wireTally(l.byOrder)
        reverseByOrder = wireTally(l.reverseByOrder)
        traced = l.traced
    }
}

struct WireFailures {
    var total: Int
    var byClass: [String: Int]
    var byPath: [String: Int]
    var topNames: [WireNameCount]
    var foldedNames: Int

    init(_ f: FailuresReport) {
        total = f.total
        byClass = wireTally(f.byClass)
        byPath = wireTally(f.byPath)
        topNames = f.topNames.map { WireNameCount(name: $0.name, count: $0.count) }
        foldedNames = f.foldedNames
    }
}

struct WireNameCount {
    var name: String
    var count: Int
}
