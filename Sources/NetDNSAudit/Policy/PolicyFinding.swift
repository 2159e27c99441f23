/// How much a finding counts.
public enum FindingSeverity: String, Sendable, Hashable, Codable {
    /// The check fails.
    case violation
    /// Reported; the check still passes.
    case warning
}

/// Where the evidence of a finding was read.
public struct FindingLocation: Sendable, Hashable, Codable {
    /// The input file (`-` for standard input).
    public var file: String
    /// The 1-based line, when one line is the evidence.
    public var line: Int?

    public init(file: String, line: Int? = nil) {
        self.file = file
        self.line = line
    }
}

/// One broken rule: which service and instance, why, and the evidence.
public struct PolicyFinding: Sendable, Hashable, Codable {
    public var rule: PolicyRule
    public var severity: FindingSeverity
    public var service: String
    public var namespace: String?
    /// The instance, for rules judged per instance.
    public var instance: String?
    /// What is wrong, in words (`resolves through cgo (verdict cgo)`).
    public var message: String
    /// The evidence: a trace line, error text or the assessment's words. Taken from logs.
    public var evidence: String
    /// Where the evidence was read, when known.
    public var location: FindingLocation?

    public init(
        rule: PolicyRule, severity: FindingSeverity, service: String, namespace: String?, instance: String?,
        message: String, evidence: String, location: FindingLocation?
    ) {
        self.rule = rule
        self.severity = severity
        self.service = service
        self.namespace = namespace
        self.instance = instance
        self.message = message
        self.evidence = evidence
        self.location = location
    }

    /// `namespace/service`, or the service name.
    public var qualifiedService: String { namespace.map { "\($0)/\(service)" } ?? service }
}
