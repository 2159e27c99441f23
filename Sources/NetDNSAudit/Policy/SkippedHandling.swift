/// What `check` does with an input it skipped unread as binary (`--on-skipped`): nothing in
/// such a file was checked, so a gate that passes may have passed over it.
public enum SkippedHandling: String, Sendable, Hashable, Codable, CaseIterable {
    /// A violation: the check fails.
    case fail
    /// A warning: reported, but the check passes (the default).
    case warn
}
