/// What `check` does with an instance whose resolver path nothing shows.
public enum UndeterminedHandling: String, Sendable, Hashable, Codable, CaseIterable {
    /// A violation.
    case fail
    /// A warning: reported, but the check passes (the default).
    case warn
    /// Ignored.
    case pass
}
