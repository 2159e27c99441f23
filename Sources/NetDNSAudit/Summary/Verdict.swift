/// The answer to "does this service resolve names only through the pure-Go resolver?".
public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Only the pure-Go path is shown.
    case pureGo = "pure-go"
    /// Only the cgo path is shown.
    case cgo
    /// Both: cgo and pure-Go lookups, or instances that disagree.
    case mixed
    /// Nothing shows the path.
    case undetermined

    public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }

    /// Severity order used for sorting: cgo first.
    var rank: Int {
        switch self {
        case .cgo: return 0
        case .mixed: return 1
        case .undetermined: return 2
        case .pureGo: return 3
        }
    }
}

/// How much of the instance's resolver use the evidence covers.
public enum VerdictConfidence: String, Sendable, Hashable, Codable {
    /// A process-wide decision line, or every lookup visible as an order line.
    case complete
    /// Only the shape of error texts.
    case partial
    /// No evidence.
    case none
}

/// Where a failure's lookup went, as far as the log shows.
public enum FailurePath: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case go
    case cgo
    case unknown

    public static func < (a: FailurePath, b: FailurePath) -> Bool { a.rawValue < b.rawValue }
}
