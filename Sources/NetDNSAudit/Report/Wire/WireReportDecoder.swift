/// Reads one saved report (``WireDocument``) from a ``JSONReader``: its `schemaVersion`, `tool`,
/// `totals` and every instance's `counters`, as an ``AuditSummary``; every other key is
/// skipped unread (derived fields are rebuilt from the counters; keys this version does not
/// know are ignored, see docs/reports.md).
///
/// Every number is checked: a whole number, 0 or more, at most ``CountBudget/limit``, and the
/// counts of everything read (all reports of a run) may not add up to more than that either,
/// so that no sum a report or a merge computes can overflow. `totals.lines` must be the sum of
/// its buckets. A problem names the field (`services[2].instances[0].counters.lines`).
struct WireReportDecoder {
    /// The versions this build reads.
    static let supportedVersions = 1...AuditReport.currentSchemaVersion

    let reader: JSONReader

    init(_ reader: JSONReader) { self.reader = reader }

    /// One report; the reader is at its first byte (after whitespace).
    func readReport(budget: inout CountBudget) throws(JSONReadError) -> (tool: String?, summary: AuditSummary) {
        var version: Int?
        var tool: String?
        var summary = AuditSummary()
        var sawTotals = false, sawServices = false
        var seen = Set<String>()
        let r = reader
        guard try r.kind(at: "") == .object else { throw r.fail("a report is a JSON object, not \(r.describeNext(at: ""))") }
        try r.readObject(at: "") { (key: String) throws(JSONReadError) in
            guard seen.insert(key).inserted else { throw r.fail("the key '\(key)' appears twice", at: key) }
            if try r.readNullIfPresent(at: key) { return }
            switch key {
            case "schemaVersion":
                let v = try r.readInteger(at: key)
                guard let known = Int(exactly: v), Self.supportedVersions.contains(known) else {
                    var error = r.fail("schemaVersion \(v) is not supported", at: key)
                    error.unsupportedVersion = Int(clamping: v)
                    throw error
                }
                version = known
            case "tool":
                tool = try r.readString(at: key)
            case "totals":
                summary.totals = try Self.readTotals(r, at: key, budget: &budget)
                sawTotals = true
            case "services":
                sawServices = true
                try r.readArray(at: key) { (i: Int) throws(JSONReadError) in
                    let path = "services[\(i)]"
                    var seenInService = Set<String>()
                    try r.readObject(at: path) { (key: String) throws(JSONReadError) in
                        guard seenInService.insert(key).inserted else { throw r.fail("the key '\(key)' appears twice", at: path) }
                        guard key == "instances" else { return try r.skipValue(at: "\(path).\(key)") }
                        try r.readArray(at: "\(path).instances") { (j: Int) throws(JSONReadError) in
                            let ipath = "\(path).instances[\(j)]"
                            var counters: InstanceSummary?
                            try r.readObject(at: ipath) { (key: String) throws(JSONReadError) in
                                guard key == "counters" else { return try r.skipValue(at: "\(ipath).\(key)") }
                                guard counters == nil else { throw r.fail("the key 'counters' appears twice", at: ipath) }
                                counters = try Self.readCounters(r, at: "\(ipath).counters", budget: &budget)
                            }
                            guard let counters else { throw r.fail("an instance without its counters", at: ipath) }
                            summary.add(counters)
                        }
                    }
                }
            default:
                try r.skipValue(at: key)
            }
        }
        guard version != nil else { throw r.fail("no schemaVersion key") }
        guard sawTotals else { throw r.fail("no totals key") }
        guard sawServices else { throw r.fail("no services key") }
        // Every instance's lines are lines of the input (the budget keeps the sum exact).
        let attributed = summary.instances.values.reduce(0) { $0 + $1.lines }
        guard attributed + summary.totals.unattributedLines <= summary.totals.lines else {
            throw r.fail("the instances' lines (\(attributed)) and the unattributed lines (\(summary.totals.unattributedLines)) add up to more than totals.lines (\(summary.totals.lines))", at: "services")
        }
        return (tool, summary)
    }

    /// Reads `totals`.
    static func readTotals(_ r: JSONReader, at path: String, budget: inout CountBudget) throws(JSONReadError) -> InputTotals {
        var w = WireTotals()
        var seen = Set<String>()
        try r.readObject(at: path) { (key: String) throws(JSONReadError) in
            let at = "\(path).\(key)"
            guard seen.insert(key).inserted else { throw r.fail("the key appears twice", at: at) }
            if try r.readNullIfPresent(at: at) { return }
            func count() throws(JSONReadError) -> Int { try budget.take(r.readInteger(at: at), at: at, r) }
            switch key {
            case "bytes": w.bytes = try count()
            case "lines": w.lines = try count()
            case "recognisedTraceLines": w.recognisedTraceLines = try count()
            case "unrecognisedTraceLines": w.unrecognisedTraceLines = try count()
            case "tornLines": w.tornLines = try count()
            case "rebuiltTraceLines": w.rebuiltTraceLines = try count()
            case "failureLines": w.failureLines = try count()
            case "ordinaryLines": w.ordinaryLines = try count()
            case "overlongLines": w.overlongLines = try count()
            case "continuationLines": w.continuationLines = try count()
            case "binaryLines": w.binaryLines = try count()
            case "failures": w.failures = try count()
            case "unattributedLines": w.unattributedLines = try count()
            case "files": w.files = try count()
            case "readErrors": w.readErrors = try count()
            case "binaryFilesSkipped": w.binaryFilesSkipped = try readStrings(r, at: at)
            case "unrecognisedTraceSamples":
                // Only the smallest few are kept, however many the report lists.
                var t = InputTotals()
                try r.readArray(at: at) { (i: Int) throws(JSONReadError) in t.noteUnrecognisedSample(try r.readString(at: "\(at)[\(i)]")) }
                w.unrecognisedTraceSamples = t.unrecognisedTraceSamples
            default: try r.skipValue(at: at)
            }
        }
        let totals = w.totals
        // Every line is in exactly one bucket (the budget keeps this sum from overflowing).
        let buckets = totals.bucketTotal
        guard buckets == totals.lines else {
            throw r.fail("lines is \(totals.lines) but its buckets (recognisedTraceLines, unrecognisedTraceLines, tornLines, failureLines, ordinaryLines, overlongLines, continuationLines, binaryLines) add up to \(buckets)", at: "\(path).lines")
        }
        guard totals.failures >= totals.failureLines else {
            throw r.fail("failures (\(totals.failures) mentions) is less than failureLines (\(totals.failureLines) lines with one at least)", at: "\(path).failures")
        }
        return totals
    }

    /// Reads one instance's `counters`.
    static func readCounters(_ r: JSONReader, at path: String, budget: inout CountBudget) throws(JSONReadError) -> InstanceSummary {
        var s = InstanceSummary(identity: InstanceIdentity(service: "", name: ""))
        var sawIdentity = false
        var seen = Set<String>()
        try r.readObject(at: path) { (key: String) throws(JSONReadError) in
            let at = "\(path).\(key)"
            guard seen.insert(key).inserted else { throw r.fail("the key appears twice", at: at) }
            if try r.readNullIfPresent(at: at) { return }
            func count() throws(JSONReadError) -> Int { try budget.take(r.readInteger(at: at), at: at, r) }
            switch key {
            case "identity":
                s.identity = try readIdentity(r, at: at)
                sawIdentity = true
            case "files": s.files = try readStrings(r, at: at)
            case "lines": s.lines = try count()
            case "traceLines": s.traceLines = try count()
            case "failureLines": s.failureLines = try count()
            case "decisions": s.decisions = try readTally(r, at: at, budget: &budget, what: "decision")
            case "invalidModeNotices": s.invalidModeNotices = try count()
            case "confValLines": s.confValLines = try count()
            case "debugLevel":
                let v = try r.readInteger(at: at)
                guard (0...2).contains(v) else { throw r.fail("\(v) is not a debug level (0, 1 or 2)", at: at) }
                s.debugLevel = Int(v)
            case "forwardOrders": s.forwardOrders = try readTally(r, at: at, budget: &budget, what: "lookup order")
            case "reverseOrders": s.reverseOrders = try readTally(r, at: at, budget: &budget, what: "lookup order")
            case "cgoLookupNames": s.cgoLookupNames = try readTally(r, at: at, budget: &budget, what: "lookup name class")
            case "failures": s.failures = try readFailureTally(r, at: at, budget: &budget)
            case "failingNames": s.failingNames = try readNameTally(r, at: at, budget: &budget)
            case "libc":
                try r.readArray(at: at) { (i: Int) throws(JSONReadError) in
                    let name = try r.readString(at: "\(at)[\(i)]")
                    guard let flavour = Libc(rawValue: name) else {
                        throw r.fail("unknown libc '\(name)' (this version knows \(Libc.allCases.map(\.rawValue).joined(separator: ", ")))", at: "\(at)[\(i)]")
                    }
                    s.noteLibc(flavour)
                }
            case "firstSeen": s.firstSeen = try readTimestamp(r, at: at)
            case "lastSeen": s.lastSeen = try readTimestamp(r, at: at)
            case "cgoEvidence": s.cgoEvidence = try readEvidence(r, at: at)
            case "goEvidence": s.goEvidence = try readEvidence(r, at: at)
            case "foldedInstances": s.foldedInstances = try count()
            case "faults": s.faultTally = try readFaults(r, at: at, budget: &budget)
            default: try r.skipValue(at: at)
            }
        }
        guard sawIdentity else { throw r.fail("no identity key", at: path) }
        switch (s.firstSeen, s.lastSeen) {
        case let (first?, last?) where first > last:
            throw r.fail("firstSeen (\(first)) is after lastSeen (\(last))", at: path)
        case (.some, nil), (nil, .some):
            throw r.fail("firstSeen and lastSeen come together, or not at all", at: path)
        default: break
        }
        return s
    }

    static func readIdentity(_ r: JSONReader, at path: String) throws(JSONReadError) -> InstanceIdentity {
        var service: String?, name: String?, container: String?, namespace: String?
        try r.readObject(at: path) { (key: String) throws(JSONReadError) in
            let at = "\(path).\(key)"
            if try r.readNullIfPresent(at: at) { return }
            switch key {
            case "service": service = try r.readString(at: at)
            case "name": name = try r.readString(at: at)
            case "container": container = try r.readString(at: at)
            case "namespace": namespace = try r.readString(at: at)
            default: try r.skipValue(at: at)
            }
        }
        guard let service else { throw r.fail("no service key", at: path) }
        guard let name else { throw r.fail("no name key", at: path) }
        return InstanceIdentity(service: service, name: name, container: container, namespace: namespace)
    }

    static func readStrings(_ r: JSONReader, at path: String) throws(JSONReadError) -> [String] {
        var list: [String] = []
        try r.readArray(at: path) { (i: Int) throws(JSONReadError) in list.append(try r.readString(at: "\(path)[\(i)]")) }
        return list
    }

    /// A tally of known keys: a key this version does not know is refused (its counts could
    /// not be counted anywhere; a new key is a schemaVersion bump).
    static func readTally<K>(_ r: JSONReader, at path: String, budget: inout CountBudget, what: String) throws(JSONReadError) -> Tally<K> {
        var t = Tally<K>()
        var seen = Set<String>()
        try r.readObject(at: path) { (key: String) throws(JSONReadError) in
            let at = "\(path).\(key)"
            guard seen.insert(key).inserted else { throw r.fail("the key appears twice", at: at) }
            guard let k = K(rawValue: key) else { throw r.fail("unknown \(what) '\(key)'", at: path) }
            t.add(k, try budget.take(r.readInteger(at: at), at: at, r))
        }
        return t
    }

    static func readFailureTally(_ r: JSONReader, at path: String, budget: inout CountBudget) throws(JSONReadError) -> FailureTally {
        var f = FailureTally()
        try r.readObject(at: path) { (key: String) throws(JSONReadError) in
            let at = "\(path).\(key)"
            if try r.readNullIfPresent(at: at) { return }
            switch key {
            case "serverNamed": f.serverNamed = try readTally(r, at: at, budget: &budget, what: "failure class")
            case "libcText": f.libcText = try readTally(r, at: at, budget: &budget, what: "failure class")
            case "serverlessOther": f.serverlessOther = try readTally(r, at: at, budget: &budget, what: "failure class")
            case "ambiguousNoSuchHost": f.ambiguousNoSuchHost = try budget.take(r.readInteger(at: at), at: at, r)
            default: try r.skipValue(at: at)
            }
        }
        return f
    }

    /// Failing names: at most ``NameTally/capacity`` are kept, the others folded (counted).
    static func readNameTally(_ r: JSONReader, at path: String, budget: inout CountBudget) throws(JSONReadError) -> NameTally {
        var n = NameTally()
        var folded = (names: 0, failures: 0)
        try r.readObject(at: path) { (key: String) throws(JSONReadError) in
            let at = "\(path).\(key)"
            if try r.readNullIfPresent(at: at) { return }
            switch key {
            case "counts":
                try r.readObject(at: at) { (name: String) throws(JSONReadError) in
                    let c = try budget.take(r.readInteger(at: "\(at)[\(name.debugDescription)]"), at: "\(at)[\(name.debugDescription)]", r)
                    guard n.counts[name] == nil else { throw r.fail("the name \(name.debugDescription) appears twice", at: at) }
                    n.add(name, c)
                }
            case "foldedNames": folded.names = try budget.take(r.readInteger(at: at), at: at, r)
            case "foldedFailures": folded.failures = try budget.take(r.readInteger(at: at), at: at, r)
            default: try r.skipValue(at: at)
            }
        }
        n.addFolded(names: folded.names, failures: folded.failures)
        return n
    }

    /// Nanoseconds since 1970: a decimal string (schema 2) or a number (schema 1).
    static func readTimestamp(_ r: JSONReader, at path: String) throws(JSONReadError) -> Int64 {
        if try r.kind(at: path) == .string {
            let text = try r.readString(at: path)
            guard let t = Int64(text) else { throw r.fail("'\(text.prefix(40))' is not nanoseconds since 1970 in decimal digits", at: path) }
            return t
        }
        return try r.readInteger(at: path)
    }

    /// Reads `counters.faults` (``FaultTally``); absent in reports without faults.
    static func readFaults(_ r: JSONReader, at path: String, budget: inout CountBudget) throws(JSONReadError) -> FaultTally {
        var f = FaultTally()
        try r.readObject(at: path) { (key: String) throws(JSONReadError) in
            let at = "\(path).\(key)"
            if try r.readNullIfPresent(at: at) { return }
            switch key {
            case "byKind": f.byKind = try readTally(r, at: at, budget: &budget, what: "fault kind")
            case "first":
                try r.readArray(at: at) { (i: Int) throws(JSONReadError) in
                    let item = "\(at)[\(i)]"
                    var kindName: String?
                    var sample: EvidenceSample?
                    // The sample's keys and its kind share one object.
                    var text: String?, file: String?, line: Int64?
                    try r.readObject(at: item) { (k: String) throws(JSONReadError) in
                        switch k {
                        case "kind": kindName = try r.readString(at: "\(item).kind")
                        case "text": text = try r.readString(at: "\(item).text")
                        case "file": file = try r.readString(at: "\(item).file")
                        case "line": line = try r.readInteger(at: "\(item).line")
                        default: try r.skipValue(at: "\(item).\(k)")
                        }
                    }
                    guard let kindName, let kind = FaultKind(rawValue: kindName) else { throw r.fail("unknown fault kind", at: item) }
                    guard let text, let file, let line, (1...CountBudget.limit).contains(line) else {
                        throw r.fail("a first fault needs kind, text, file and a line number", at: item)
                    }
                    sample = EvidenceSample(text: text, file: file, line: Int(line))
                    if let sample { f.first[kind] = EvidenceSample.earliest(f.first[kind], sample) }
                }
            case "highestGlibc":
                let text = try r.readString(at: at)
                guard let v = GlibcSymbolVersion(text) else { throw r.fail("'\(text)' is not a GLIBC_X.Y version", at: at) }
                f.noteGlibc(v)
            case "getaddrinfoGoroutines": f.getaddrinfoGoroutines = try budget.take(r.readInteger(at: at), at: at, r)
            case "goResolverStacks": f.goResolverStacks = try budget.take(r.readInteger(at: at), at: at, r)
            case "goResolverGoroutines": f.goResolverGoroutines = try budget.take(r.readInteger(at: at), at: at, r)
            default: try r.skipValue(at: at)
            }
        }
        return f
    }

    static func readEvidence(_ r: JSONReader, at path: String) throws(JSONReadError) -> EvidenceSample {
        var text: String?, file: String?, line: Int64?
        try r.readObject(at: path) { (key: String) throws(JSONReadError) in
            let at = "\(path).\(key)"
            switch key {
            case "text": text = try r.readString(at: at)
            case "file": file = try r.readString(at: at)
            case "line": line = try r.readInteger(at: at)
            default: try r.skipValue(at: at)
            }
        }
        guard let text, let file, let line else { throw r.fail("evidence needs text, file and line", at: path) }
        guard (1...CountBudget.limit).contains(line) else { throw r.fail("line \(line) is not a line number (1 or more)", at: "\(path).line") }
        return EvidenceSample(text: text, file: file, line: Int(line))
    }
}

/// The counts read in one run: each is 0 or more, and all of them together at most ``limit``,
/// so that every sum derived from them (a service's lines, a merge of reports, a total of
/// tallies) stays far from overflowing.
public struct CountBudget: Sendable {
    /// 2^53 - 1: the largest integer JSON readers (JavaScript, jq) hold exactly.
    public static let limit: Int64 = (1 << 53) - 1

    /// The sum of the counts read so far.
    public private(set) var used: Int64 = 0

    public init() {}

    /// Takes one count read at `path`; throws when it is negative or the counts read would
    /// exceed ``limit``.
    mutating func take(_ n: Int64, at path: String, _ r: JSONReader) throws(JSONReadError) -> Int {
        guard n >= 0 else { throw r.fail("\(n) is negative (counts are 0 or more)", at: path) }
        guard n <= Self.limit else { throw r.fail("\(n) is more than a report may count (at most 2^53 - 1 = \(Self.limit))", at: path) }
        let (sum, overflow) = used.addingReportingOverflow(n)
        guard !overflow, sum <= Self.limit else {
            throw r.fail("the counts read add up to more than 2^53 - 1 = \(Self.limit): too large to merge", at: path)
        }
        used = sum
        return Int(n)
    }
}
