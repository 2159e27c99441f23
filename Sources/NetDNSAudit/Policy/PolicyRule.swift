/// One rule of the `check` policy. Every finding names the rule it comes from.
public enum PolicyRule: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Every instance must resolve through the pure-Go resolver: verdicts `cgo` and `mixed` violate.
    case resolverPath = "resolver-path"
    /// An instance whose path nothing shows (`--undetermined fail|warn|pass`).
    case undetermined
    /// An instance with no `go package net:` trace line at all (`--require-trace`).
    case requireTrace = "require-trace"
    /// More DNS failures in a service than `--max-failures` allows.
    case maxFailures = "max-failures"
    /// A DNS failure of a class listed with `--fail-on`.
    case failOn = "fail-on"
    /// A service listed with `--expect-services` that the input never shows.
    case expectedService = "expected-service"
    /// An input skipped unread as binary (`--on-skipped fail|warn`).
    case skippedInput = "skipped-input"

    /// A stable identifier (SARIF `ruleId`, JUnit failure `type`).
    public var id: String { rawValue }

    /// One sentence describing the rule.
    public var shortDescription: String {
        switch self {
        case .resolverPath: return "Every service resolves names only through Go's pure-Go resolver (verdicts cgo and mixed violate)."
        case .undetermined: return "The log shows which resolver the instance uses (verdict undetermined is reported)."
        case .requireTrace: return "Every instance shows at least one GODEBUG=netdns trace line."
        case .maxFailures: return "A service has at most the allowed number of DNS failures."
        case .failOn: return "A service has no DNS failure of the listed classes."
        case .expectedService: return "Every expected service appears in the input."
        case .skippedInput: return "Every input is read: a file skipped as binary is reported (nothing in it was checked)."
        }
    }

    /// Whether `--allow` exempts a service from this rule. Allowed services are exempt from
    /// the resolver rules; DNS health gates and expected services still apply.
    public var exemptable: Bool {
        switch self {
        case .resolverPath, .undetermined, .requireTrace: return true
        case .maxFailures, .failOn, .expectedService, .skippedInput: return false
        }
    }

    public static func < (a: PolicyRule, b: PolicyRule) -> Bool { a.order < b.order }

    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}
