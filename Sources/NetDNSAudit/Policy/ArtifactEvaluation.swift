extension CheckPolicy {
    /// Checks inspected binaries and images (`check --binary`, `--image`): one outcome per
    /// binary. A `--binary` with the cgo resolver compiled in violates ``PolicyRule/cgoResolverCompiled``
    /// unless an `allow` pattern matches its file name, path or main module; an image's error
    /// findings violate and its warnings warn (no pattern exempts them). A binary in an image is
    /// named `IMAGE:/path`.
    public func evaluate(artifacts report: InspectReport) -> [ServiceOutcome] {
        var outcomes: [ServiceOutcome] = []
        for binary in report.binaries {
            let f = binary.facts
            var findings: [PolicyFinding] = []
            var exempted: [PolicyFinding] = []
            var allowedBy: String?
            if f.cgoResolver {
                let finding = PolicyFinding(
                    rule: .cgoResolverCompiled, severity: .violation, service: f.path, namespace: nil, instance: nil,
                    message: "the cgo DNS resolver is compiled in (resolver \(f.resolver.rawValue), cgo packages \(f.cgoPackages.joined(separator: ", ")))",
                    evidence: [f.goVersion, f.module, f.cgoEnabled.map { "CGO_ENABLED=\($0 ? 1 : 0)" }, f.tags.isEmpty ? nil : "-tags \(f.tags.joined(separator: ","))"]
                        .compactMap { $0 }.joined(separator: ", ") + "; advice: " + InspectAdvice.cgoResolver(f),
                    location: FindingLocation(file: f.path))
                allowedBy = allowPattern(forBinary: f)
                if allowedBy != nil { exempted.append(finding) } else { findings.append(finding) }
            }
            let status: ServiceStatus = !findings.isEmpty ? .failed : allowedBy != nil ? .allowed : .passed
            outcomes.append(ServiceOutcome(name: f.path, namespace: nil, verdict: f.cgoResolver ? nil : .pureGo, status: status,
                                           findings: findings, exempted: exempted, allowedBy: allowedBy))
        }
        for image in report.images {
            var byBinary: [String: [PolicyFinding]] = [:]
            var order: [String] = image.binaries.map(\.facts.path)
            for finding in image.findings {
                if !order.contains(finding.binary) { order.append(finding.binary) }
                byBinary[finding.binary, default: []].append(PolicyFinding(
                    rule: PolicyRule(finding.rule), severity: finding.severity == .error ? .violation : .warning,
                    service: "\(image.image):\(finding.binary)", namespace: nil, instance: nil,
                    message: finding.message, evidence: "advice: " + finding.advice, location: FindingLocation(file: image.image)))
            }
            for path in order {
                let findings = byBinary[path] ?? []
                let status: ServiceStatus = findings.contains { $0.severity == .violation } ? .failed : findings.isEmpty ? .passed : .warned
                outcomes.append(ServiceOutcome(name: "\(image.image):\(path)", namespace: nil, verdict: nil, status: status,
                                               findings: findings, exempted: [], allowedBy: nil))
            }
        }
        return outcomes
    }

    /// The first `allow` pattern matching a binary's file name, path or main module.
    public func allowPattern(forBinary facts: GoBinaryFacts) -> String? {
        let name = facts.path.split(separator: "/").last.map(String.init) ?? facts.path
        return allow.first { pattern in
            let glob = GlobPattern(pattern)
            return glob.matches(name) || glob.matches(facts.path) || facts.module.map(glob.matches) == true
        }
    }
}
