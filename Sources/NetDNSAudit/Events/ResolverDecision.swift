/// The process-wide resolver decision a Go program prints once, at debug level 1 or higher.
///
/// Each case names one wording family; ``GoTraceParser`` maps both the go1.19 and the
/// go1.27 wording of a decision onto the same case.
public enum ResolverDecision: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// `built with netgo build tag; using Go's DNS resolver` (go1.19) or
    /// `using the Go DNS resolver` (go1.27): pure Go, fixed at build time.
    case goBuild = "go-build"
    /// `GODEBUG setting forcing use of Go's resolver` / `... of the Go resolver`.
    case goForced = "go-forced"
    /// `cgo resolver not supported; using Go's DNS resolver`.
    case goNoCgo = "go-no-cgo"
    /// `ignoring GODEBUG=netdns=cgo as the binary was compiled without support for the cgo resolver`.
    case goIgnoringCgo = "go-ignoring-cgo"
    /// `using cgo DNS resolver` (go1.19) or `using the cgo DNS resolver` (go1.27).
    case cgoBuild = "cgo-build"
    /// `GODEBUG setting forcing use of the cgo resolver`.
    case cgoForced = "cgo-forced"
    /// `dynamic selection of DNS resolver`: decided per lookup.
    case dynamic = "dynamic"

    /// The resolver path this decision fixes for the whole process, or `nil` when it is decided per lookup.
    public var processWidePath: ResolverPath? {
        switch self {
        case .goBuild, .goForced, .goNoCgo, .goIgnoringCgo: return .go
        case .cgoBuild, .cgoForced: return .cgo
        case .dynamic: return nil
        }
    }

    /// Whether the decision proves that the binary contains the cgo resolver.
    public var provesCgoCapable: Bool {
        switch self {
        case .cgoBuild, .cgoForced, .dynamic: return true
        case .goBuild, .goForced, .goNoCgo, .goIgnoringCgo: return false
        }
    }

    public static func < (lhs: ResolverDecision, rhs: ResolverDecision) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The two resolver paths of a Go program.
public enum ResolverPath: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Go's own resolver: reads /etc/hosts and asks DNS servers itself.
    case go
    /// libc's `getaddrinfo`, called through cgo.
    case cgo

    public static func < (lhs: ResolverPath, rhs: ResolverPath) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The C library whose resolver a cgo lookup used, as revealed by its error texts.
public enum Libc: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case glibc
    case musl

    public static func < (lhs: Libc, rhs: Libc) -> Bool { lhs.rawValue < rhs.rawValue }
}
