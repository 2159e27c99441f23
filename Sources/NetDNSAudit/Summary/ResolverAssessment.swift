/// The conclusions drawn from one instance's counters, following the corpus verdict rules.
///
/// 1. cgo evidence: a cgo decision line, a `cgo` order line, a libc error text, a goroutine
///    dump with cgo resolver frames, or a server-less `no such host` in a cgo-capable binary
///    with no `files` order line.
/// 2. pure Go, complete: a decision line that fixes the Go resolver for the process.
/// 3. pure Go, complete: order lines, none of them `cgo`.
/// 4. pure Go, partial: errors in the Go-resolver shape, goroutine dumps with pure-Go resolver frames.
/// 5. otherwise undetermined.
/// cgo evidence together with pure-Go lookups or a pure-Go decision makes the verdict `mixed`.
public struct ResolverAssessment: Sendable, Equatable {
    public var verdict: Verdict
    public var confidence: VerdictConfidence
    /// The evidence, in words.
    public var evidence: [String]
    /// Failures by the path their text (and the instance's evidence) reveals.
    public var failuresByPath: Tally<FailurePath>
    /// Lookups (order lines) by path.
    public var lookupsByPath: Tally<ResolverPath>

    /// Assesses one instance.
    public init(_ s: InstanceSummary) {
        var evidence: [String] = []
        let cgoDecisions = s.decisions.sortedKeys.filter { $0.processWidePath == .cgo }
        let goDecisions = s.decisions.sortedKeys.filter { $0.processWidePath == .go }
        let orders = s.allOrders
        let cgoOrders = orders[.cgo]
        let goOrders = orders.total - cgoOrders
        let libcTexts = s.failures.libcText.total
        let hasFilesOrder = orders[.files] > 0
        let faults = s.faultTally
        let cgoStacks = faults.byKind[.cgoResolverStack]
        let goStacks = faults.goResolverStacks

        let cgoCapable = !cgoDecisions.isEmpty || s.decisions[.dynamic] > 0 || cgoOrders > 0 || libcTexts > 0 || cgoStacks > 0
        var byPath = Tally<FailurePath>()
        byPath.add(.go, s.failures.serverNamed.total)
        byPath.add(.cgo, libcTexts)
        byPath.add(.unknown, s.failures.serverlessOther.total)
        var ambiguousAsCgo = 0
        if s.failures.ambiguousNoSuchHost > 0 {
            if cgoCapable && !hasFilesOrder {
                ambiguousAsCgo = s.failures.ambiguousNoSuchHost
                byPath.add(.cgo, ambiguousAsCgo)
            } else if hasFilesOrder || !goDecisions.isEmpty {
                byPath.add(.go, s.failures.ambiguousNoSuchHost)
            } else {
                byPath.add(.unknown, s.failures.ambiguousNoSuchHost)
            }
        }
        failuresByPath = byPath
        var lookups = Tally<ResolverPath>()
        lookups.add(.cgo, cgoOrders)
        lookups.add(.go, goOrders)
        lookupsByPath = lookups

        for d in cgoDecisions { evidence.append("decision line: \(d.phrase) (\(s.decisions[d])x)") }
        if cgoOrders > 0 { evidence.append("\(cgoOrders) order line(s) with value cgo") }
        if libcTexts > 0 {
            let flavours = s.libc.map(\.rawValue).joined(separator: ", ")
            evidence.append("\(libcTexts) libc error text(s)" + (flavours.isEmpty ? "" : " (\(flavours))"))
        }
        if cgoStacks > 0 {
            evidence.append("\(cgoStacks) goroutine dump(s) with cgo resolver frames (\(faults.getaddrinfoGoroutines) goroutine(s) in getaddrinfo)")
        }
        if ambiguousAsCgo > 0 {
            evidence.append("\(ambiguousAsCgo) server-less 'no such host' error(s) in a cgo-capable binary")
        }
        let hasCgo = !evidence.isEmpty
        var goEvidence: [String] = []
        for d in goDecisions { goEvidence.append("decision line: \(d.phrase) (\(s.decisions[d])x)") }
        if goOrders > 0 { goEvidence.append("\(goOrders) order line(s) with a pure-Go value") }
        let serverNamed = s.failures.serverNamed.total
        if serverNamed > 0 { goEvidence.append("\(serverNamed) Go-resolver error(s) naming a DNS server") }
        if goStacks > 0 {
            goEvidence.append("\(goStacks) goroutine dump(s) with pure-Go resolver frames (\(faults.goResolverGoroutines) goroutine(s))")
        }
        evidence += goEvidence

        if hasCgo {
            verdict = (goOrders > 0 || serverNamed > 0 || !goDecisions.isEmpty || goStacks > 0) ? .mixed : .cgo
            confidence = (cgoOrders > 0 || !cgoDecisions.isEmpty || libcTexts > 0) ? .complete : .partial
        } else if !goDecisions.isEmpty || goOrders > 0 {
            verdict = .pureGo
            confidence = .complete
        } else if serverNamed > 0 || goStacks > 0 {
            verdict = .pureGo
            confidence = .partial
            if serverNamed > 0 { evidence.append("successful lookups leave no trace at this debug level") }
        } else {
            verdict = .undetermined
            confidence = .none
            let startFaults = faults.byKind.sortedKeys.filter(\.preventsStart)
            if !startFaults.isEmpty {
                evidence.append("the program did not start (\(startFaults.map(\.rawValue).joined(separator: ", "))): nothing it printed shows its resolver")
            } else if s.decisions[.dynamic] > 0 {
                evidence.append("only 'dynamic selection' decision line(s): the path is chosen per lookup and no lookup shows it")
            } else if s.traceLines == 0 && s.failures.total == 0 {
                evidence.append("no trace line and no DNS error: run with GODEBUG=netdns=go+2 (or =2) to prove the path")
            } else {
                evidence.append("no evidence of the resolver path")
            }
        }
        self.evidence = evidence
    }

    /// Combines instance verdicts into a service verdict: `mixed` when an instance is mixed or
    /// instances disagree, `cgo` when every instance with evidence is cgo, `pure-go` only when
    /// every instance is pure-Go, else `undetermined`.
    public static func combine(_ verdicts: [Verdict]) -> Verdict {
        let set = Set(verdicts)
        if set.contains(.mixed) || (set.contains(.cgo) && set.contains(.pureGo)) { return .mixed }
        if set.contains(.cgo) { return .cgo }
        if !set.isEmpty && set == [.pureGo] { return .pureGo }
        return .undetermined
    }
}

extension ResolverDecision {
    /// The decision in words, as printed by go1.27.
    public var phrase: String {
        switch self {
        case .goBuild: return "'using the Go DNS resolver'"
        case .goForced: return "'GODEBUG setting forcing use of the Go resolver'"
        case .goNoCgo: return "'cgo resolver not supported; using Go's DNS resolver'"
        case .goIgnoringCgo: return "'ignoring GODEBUG=netdns=cgo' (no cgo resolver compiled in)"
        case .cgoBuild: return "'using the cgo DNS resolver'"
        case .cgoForced: return "'GODEBUG setting forcing use of the cgo resolver'"
        case .dynamic: return "'dynamic selection of DNS resolver'"
        }
    }
}
