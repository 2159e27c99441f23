/// Which lookups a binary with the cgo resolver compiled in sends to libc in an image, as Go's
/// `net/conf.go` decides: from the build (netcgo, DefaultGODEBUG), the image's Env (GODEBUG,
/// LOCALDOMAIN, RES_OPTIONS, HOSTALIASES), its /etc/nsswitch.conf and /etc/mdns.allow, and the
/// resolv.conf files the runtime mounts (Kubernetes ClusterFirst, Docker, systemd-resolved).
public struct ResolverPrediction: Sendable, Equatable {
    /// Reasons every lookup goes to libc.
    public var always: [String] = []
    /// Names that go to libc, and why.
    public var someNames: [String] = []
    /// resolv.conf files (by runtime) under which every lookup goes to libc.
    public var resolvConf: [String] = []
    /// Set when Env's GODEBUG forces Go's resolver: nothing goes to libc.
    public var forcedGo = false

    public var reachable: Bool { !always.isEmpty || !someNames.isEmpty || !resolvConf.isEmpty }

    /// Go's minor version (`go1.19.8` -> 19), or nil.
    static func minor(_ version: String?) -> Int? {
        guard let version, version.hasPrefix("go1.") else { return nil }
        return Int(version.dropFirst(4).prefix { $0.isNumber })
    }

    public static func predict(_ facts: GoBinaryFacts, environment: ImageEnvironment) -> ResolverPrediction {
        var p = ResolverPrediction()
        guard facts.cgoResolver else { return p }
        let env = ImageManifest.Config.with(env: environment.env)
        let envMode = BinaryInspector.netdnsMode(BinaryInspector.netdns(inGodebug: env.environment("GODEBUG")))
        if envMode == "go" { p.forcedGo = true; return p }
        if envMode == "cgo" { p.always.append("GODEBUG=netdns=cgo in the image's Env") }
        if envMode == nil, facts.resolver == .goForced { p.forcedGo = true; return p }
        switch facts.resolver {
        case .cgo: p.always.append(facts.tags.contains("netcgo") ? "built with -tags netcgo" : "DefaultGODEBUG has netdns=cgo")
        default: break
        }
        if env.hasEnvironment("LOCALDOMAIN") { p.always.append("LOCALDOMAIN is set in Env") }
        if let v = env.environment("RES_OPTIONS"), !v.isEmpty { p.always.append("RES_OPTIONS is set in Env") }
        if let v = env.environment("HOSTALIASES"), !v.isEmpty { p.always.append("HOSTALIASES is set in Env") }
        let minor = Self.minor(facts.goVersion) ?? 99
        if minor <= 20 { p.someNames.append("every *.local name (\(facts.goVersion ?? "this Go") sends .local to libc)") }
        if let sources = environment.nsswitchHosts {
            p.addNSSwitch(sources, minor: minor, mdnsAllow: environment.hasMDNSAllow)
        } else if minor < 16 {
            p.always.append("no /etc/nsswitch.conf (Go before 1.16 then assumes dns,files)")
        }
        // resolv.conf is mounted at run time; options Go does not know send everything to libc.
        if minor <= 19 { p.resolvConf.append("systemd-resolved (options edns0 trust-ad, unknown to \(facts.goVersion ?? "this Go"))") }
        return p
    }

    mutating func addNSSwitch(_ tokens: [String], minor: Int, mdnsAllow: Bool) {
        var sources: [(String, [String])] = []
        for token in tokens {
            if token.hasPrefix("[") {
                if !sources.isEmpty { sources[sources.count - 1].1.append(token) }
            } else {
                sources.append((token, []))
            }
        }
        guard !sources.isEmpty else { return } // no hosts line: files,dns
        var filesOrDNS = false
        var mdns = false
        for (source, criteria) in sources {
            switch source {
            case "files", "dns":
                filesOrDNS = true
                if !Self.standardCriteria(criteria) {
                    always.append("/etc/nsswitch.conf has non-default criteria \(criteria.joined(separator: " ")) on \(source)")
                }
            case "myhostname":
                someNames.append("localhost names, the host's own name and \(minor <= 19 ? "gateway" : "_gateway") (myhostname in /etc/nsswitch.conf)")
            default:
                if source.hasPrefix("mdns") {
                    mdns = true
                    if minor > 20 { someNames.append("*.local names (\(source) in /etc/nsswitch.conf)") }
                } else {
                    always.append("/etc/nsswitch.conf hosts uses \(source)")
                }
            }
        }
        if mdns && mdnsAllow { always.append("/etc/mdns.allow exists with an mdns source") }
        if !filesOrDNS { always.append("/etc/nsswitch.conf hosts has neither files nor dns") }
    }

    /// Go's `nssCriterion.standardStatusAction`: criteria equal to the defaults (a final `return`
    /// allowed).
    static func standardCriteria(_ tokens: [String]) -> Bool {
        var criteria: [(String, String)] = []
        for token in tokens {
            let inner = token.dropFirst().dropLast()
            for part in inner.split(separator: " ") {
                let kv = part.split(separator: "=", maxSplits: 1)
                guard kv.count == 2 else { return false }
                criteria.append((kv[0].lowercased(), kv[1].lowercased()))
            }
        }
        for (i, (status, action)) in criteria.enumerated() {
            if status.hasPrefix("!") { return false }
            let def: String
            switch status {
            case "success": def = "return"
            case "notfound", "unavail", "tryagain": def = "continue"
            default: return false
            }
            if i == criteria.count - 1 && action == "return" { continue }
            if action != def { return false }
        }
        return true
    }

    /// One line for the finding.
    public var summary: String {
        var parts: [String] = []
        if !always.isEmpty { parts.append("every lookup goes to libc: " + always.joined(separator: "; ")) }
        if !someNames.isEmpty { parts.append("these names go to libc: " + someNames.joined(separator: "; ")) }
        if !resolvConf.isEmpty { parts.append("every lookup goes to libc under the resolv.conf of " + resolvConf.joined(separator: ", ")) }
        if parts.isEmpty { parts.append("no lookup goes to libc under this image's nsswitch.conf and Env and the Kubernetes ClusterFirst, Docker and systemd-resolved resolv.conf files (names with \\ or % aside)") }
        return parts.joined(separator: "; ")
    }
}

extension ImageManifest.Config {
    static func with(env: [String]) -> ImageManifest.Config {
        var c = ImageManifest.Config()
        c.env = env
        return c
    }
}
