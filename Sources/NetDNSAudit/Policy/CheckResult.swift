/// The outcome of one service under the policy.
public enum ServiceStatus: String, Sendable, Hashable, Codable {
    /// Every rule holds.
    case passed
    /// Rules hold, with warnings.
    case warned
    /// Rules hold only because an `allow` pattern exempts the service.
    case allowed
    /// At least one violation.
    case failed
    /// Expected, but not in the input.
    case missing
}

/// One service's result: its verdict, status and findings.
public struct ServiceOutcome: Sendable, Hashable, Codable {
    public var name: String
    public var namespace: String?
    /// The service verdict (nil for a missing expected service).
    public var verdict: Verdict?
    public var status: ServiceStatus
    /// Violations and warnings, in rule order.
    public var findings: [PolicyFinding]
    /// Findings an `allow` pattern turned off, so reports can show what was exempted.
    public var exempted: [PolicyFinding]
    /// The `allow` pattern that matched, if any.
    public var allowedBy: String?

    public var violations: [PolicyFinding] { findings.filter { $0.severity == .violation } }
    public var warnings: [PolicyFinding] { findings.filter { $0.severity == .warning } }

    /// `namespace/service`, or the service name.
    public var qualifiedName: String { namespace.map { "\($0)/\(name)" } ?? name }
}

/// The result of checking a report against a policy: a pure function of both.
public struct CheckResult: Sendable, Hashable, Codable {
    /// One outcome per service of the report, then one per missing expected service.
    public var services: [ServiceOutcome]
    /// Findings about inputs rather than services: a file skipped as binary (rule
    /// ``PolicyRule/skippedInput``; the finding's ``PolicyFinding/service`` is the file's path),
    /// or the whole input (rule ``PolicyRule/noInput``; the service is empty).
    public var inputs: [PolicyFinding]

    public init(services: [ServiceOutcome], inputs: [PolicyFinding] = []) {
        self.services = services
        self.inputs = inputs
    }

    /// Every violation: those of the services, then those of the inputs.
    public var violations: [PolicyFinding] { services.flatMap(\.violations) + inputs.filter { $0.severity == .violation } }
    /// Every warning: those of the services, then those of the inputs.
    public var warnings: [PolicyFinding] { services.flatMap(\.warnings) + inputs.filter { $0.severity == .warning } }
    public var passed: Bool { violations.isEmpty }
    /// Services with at least one violation.
    public var failedServices: [ServiceOutcome] { services.filter { $0.status == .failed || $0.status == .missing } }

    /// `check failed: 2 violations in 2 of 6 services` or `check passed: 6 services`.
    public var verdictLine: String {
        let n = services.count
        let total = "\(n) service\(n == 1 ? "" : "s")"
        var extras: [String] = []
        let w = warnings.count
        if w > 0 { extras.append("\(w) warning\(w == 1 ? "" : "s")") }
        let a = services.filter { $0.status == .allowed }.count
        if a > 0 { extras.append("\(a) allowed") }
        let k = inputs.filter { $0.rule == .skippedInput }.count
        if k > 0 { extras.append("\(k) input\(k == 1 ? "" : "s") skipped as binary") }
        let suffix = extras.isEmpty ? "" : " (\(extras.joined(separator: ", ")))"
        if passed { return "check passed: \(total)\(suffix)" }
        let v = violations.count
        let failed = failedServices.count
        let place = failed == 0 ? "; \(total)" : " in \(failed) of \(total)"
        let general = inputs.filter { $0.severity == .violation && $0.service.isEmpty }.map { "\($0.rule.id): \($0.message)" }
        let what = general.isEmpty ? "" : " (\(general.joined(separator: "; ")))"
        return "check failed: \(v) violation\(v == 1 ? "" : "s")\(what)\(place)\(suffix)"
    }
}
