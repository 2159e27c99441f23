/// The findings a binary shows on its own, before any image is known.
public enum BinaryFindings {
    /// `pie-loader` and `cgo-resolver`, from the binary alone.
    public static func findings(_ facts: GoBinaryFacts) -> [InspectFinding] {
        var out: [InspectFinding] = []
        if let f = pieLoader(facts) { out.append(f) }
        if facts.cgoResolver, facts.resolver != .goForced {
            let how: String
            switch facts.resolver {
            case .cgo: how = "and preferred (\(facts.tags.contains("netcgo") ? "-tags netcgo" : "netdns=cgo in DefaultGODEBUG")): every lookup goes to libc's getaddrinfo"
            default: how = "(Go picks it or its own resolver per lookup from /etc/nsswitch.conf, /etc/resolv.conf and the environment)"
            }
            out.append(InspectFinding(rule: .cgoResolver, binary: facts.path,
                                      message: "the cgo DNS resolver is compiled in \(how)",
                                      advice: InspectAdvice.cgoResolver(facts)))
        }
        return out
    }

    /// A PIE without cgo that names a loader anyway (Go's linker always writes one for PIEs).
    static func pieLoader(_ facts: GoBinaryFacts) -> InspectFinding? {
        guard facts.elfType == .pie, !facts.runtimeCgo, let loader = facts.interpreter else { return nil }
        return InspectFinding(rule: .pieLoader, binary: facts.path,
                              message: "CGO_ENABLED=0 PIE that still needs the loader \(loader): exec fails with \"no such file or directory\" where it is missing (scratch, distroless/static, Alpine)",
                              advice: InspectAdvice.pieLoader)
    }
}
