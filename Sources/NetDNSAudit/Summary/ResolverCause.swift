/// Why a service resolves through cgo, read from its evidence, and what to change: one line per
/// cause and per fault, after the base-image decision tree (docs/faults.md).
///
/// Derived from counters only (never stored), so it stays right after any merge.
public struct ResolverCause: Sendable, Equatable {
    /// For a `cgo` or `mixed` verdict: the causes the evidence shows (empty otherwise).
    public var cause: [String] = []
    /// What to change: for `cgo`/`mixed`, the decision tree's lines; then one line per fault kind.
    public var advice: [String] = []

    public init(_ s: InstanceSummary, verdict: Verdict) {
        let faults = s.faultTally
        if verdict == .cgo || verdict == .mixed {
            cause = Self.causes(s, faults: faults)
            advice = [
                "now: GODEBUG=netdns=go (the pure-Go resolver; check first that no name needs an nsswitch.conf source or mDNS)",
                "for good: build with -tags netgo (the cgo resolver is then not compiled in; other C code keeps working) or CGO_ENABLED=0, and ship on distroless/static",
                "if cgo is needed (sqlite, librdkafka, gocv): run a glibc build on distroless/base-debian12 (a glibc as new as the builder's), a golang:alpine (musl) build on Alpine",
            ]
        }
        for kind in faults.byKind.sortedKeys {
            // The cgo lines above already say what to change for stuck cgo lookups.
            let covered = !cause.isEmpty && (kind == .cgoResolverStack || kind == .threadLimit)
            if !covered { advice.append("\(kind.rawValue): \(kind.advice)") }
        }
    }

    static func causes(_ s: InstanceSummary, faults: FaultTally) -> [String] {
        var out: [String] = []
        if s.decisions[.cgoBuild] > 0 {
            out.append("decision line 'using (the) cgo DNS resolver': the netcgo build tag (go1.20+ wording 'using the cgo DNS resolver'); with go1.19's 'using cgo DNS resolver' also GODEBUG=netdns=cgo, LOCALDOMAIN, RES_OPTIONS or HOSTALIASES in the environment")
        }
        if s.decisions[.cgoForced] > 0 {
            out.append("decision line 'GODEBUG setting forcing use of the cgo resolver': GODEBUG=netdns=cgo (environment, //go:debug or go.mod godebug)")
        }
        let forwardCgo = s.forwardOrders[.cgo]
        let forwardGo = s.forwardOrders.total - forwardCgo
        let reverseCgo = s.reverseOrders[.cgo]
        if s.decisions[.dynamic] > 0 || (s.decisions.total == 0 && forwardCgo + reverseCgo > 0) {
            if forwardCgo > 0, let names = namesOnly(s.cgoLookupNames, cgoLookups: forwardCgo) {
                out.append("'dynamic selection' with cgo only for \(names) (\(forwardCgo) of \(forwardCgo + forwardGo) lookups)")
            } else if forwardCgo > 0 && forwardGo == 0 {
                out.append("'dynamic selection' with every lookup cgo: the system configuration sends every name to libc: an /etc/resolv.conf option this Go version does not know (edns0 and trust-ad before Go 1.20, as systemd-resolved's stub writes; no-check-names), an nsswitch.conf hosts source or [STATUS=action] Go does not handle, or LOCALDOMAIN / RES_OPTIONS / HOSTALIASES (which go1.21+ answers with cgo)")
            } else if forwardCgo > 0 {
                out.append("'dynamic selection' with cgo for \(forwardCgo) of \(forwardCgo + forwardGo) lookups: only some names go to libc: *.local names (an mdns source in nsswitch.conf; go1.19 sends every .local name, *.svc.cluster.local too), the host's own name, localhost or _gateway (myhostname), names with % or \\")
            } else if reverseCgo > 0 {
                out.append("cgo only for reverse lookups (\(reverseCgo)): the address-to-name path of the system configuration")
            }
        }
        let libcTexts = s.failures.libcText.total
        if libcTexts > 0 && s.traceLines == 0 {
            for flavour in s.libc {
                switch flavour {
                case .glibc:
                    out.append("glibc error texts (no trace lines): lookups go through glibc's resolver, whose parallel A and AAAA queries from one socket meet the conntrack race (5 s timeouts; options single-request-reopen)")
                case .musl:
                    out.append("musl error texts (no trace lines): lookups go through musl's resolver, which before musl 1.2.4 has no TCP fallback (answers over 512 bytes fail)")
                }
            }
        }
        let stacks = faults.byKind[.cgoResolverStack]
        if stacks > 0 {
            out.append("\(stacks) goroutine dump(s) show \(faults.getaddrinfoGoroutines) goroutine(s) waiting in libc's getaddrinfo: the cgo resolver in use, whatever GODEBUG says")
        }
        if faults.byKind[.threadLimit] > 0 && stacks > 0 {
            out.append("the thread limit was exceeded next to cgo lookups: each blocked getaddrinfo holds an OS thread (a slow or silent DNS server piles them up)")
        }
        if out.isEmpty {
            out.append("server-less 'no such host' errors in a cgo-capable binary")
        }
        return out
    }

    /// When every cgo lookup's name is of a kind Go leaves to libc by rule (none `other`, and
    /// every one classified: reports saved before the classes were kept have none), which
    /// kinds and why; `nil` otherwise.
    static func namesOnly(_ names: Tally<LookupNameClass>, cgoLookups: Int) -> String? {
        guard names.total == cgoLookups, names[.other] == 0 else { return nil }
        var parts: [String] = []
        if names[.mdns] > 0 {
            parts.append("*.local names (\(names[.mdns])): an mdns source in nsswitch.conf sends them to libc (mDNS; go1.19 sends every *.local name, with or without it)")
        }
        if names[.clusterLocal] > 0 {
            parts.append("*.cluster.local names (\(names[.clusterLocal])): the cluster's own names end in .local too, so the same mdns rule sends them to libc")
        }
        let myHostname = names[.localhost] + names[.ownHost]
        if myHostname > 0 {
            parts.append("localhost, _gateway or the host's own name (\(myHostname)): the myhostname source in nsswitch.conf")
        }
        if names[.escaped] > 0 {
            parts.append("names with % or \\ (\(names[.escaped])): Go leaves them to libc")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
