/// The exit codes of `netdns-audit`, as linters and grep use them.
enum ExitCode: Int32 {
    /// Success; for `check`, every policy holds.
    case success = 0
    /// `check`: a policy is violated.
    case policyViolation = 1
    /// A usage error, or an input that could not be read (the others are still reported).
    case usageOrInputError = 2
}
