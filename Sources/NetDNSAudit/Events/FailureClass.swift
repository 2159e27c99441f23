/// What a DNS error text says went wrong.
public enum FailureClass: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// `no such host`, `Name or service not known`, `Name does not resolve`.
    case nxdomain
    /// `server misbehaving`, libc's non-recoverable failure.
    case servfail
    /// `i/o timeout`.
    case timeout
    /// `connection refused`: nothing listened on the DNS server's port.
    case refused
    /// libc's EAI_AGAIN: `Temporary failure in name resolution`, `Try again`.
    case temporary
    /// libc's EAI_NODATA: `No address associated with hostname`, `Name has no usable address`.
    case nodata
    /// Any other DNS failure (`no answer from DNS server`, `lame referral`, ...).
    case other

    public static func < (lhs: FailureClass, rhs: FailureClass) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The shape of a DNS error text, which is what reveals the resolver path.
public enum FailureShape: String, Sendable, Hashable, Codable, CaseIterable {
    /// `lookup NAME on SERVER: ...`: only the pure-Go resolver names the server it asked.
    case serverNamed
    /// `lookup NAME: <libc text>`: a `gai_strerror` text, so the cgo path.
    case libcText
    /// `lookup NAME: no such host` with no server: cgo, or pure Go under nsswitch `hosts: files`.
    case ambiguousNoSuchHost
    /// Any other server-less error (Windows' `getaddrinfow: ...`, unknown texts): path unknown.
    case serverlessOther
}

/// One DNS failure mention found in a message.
public struct DNSFailure: Sendable, Equatable {
    /// The name that failed to resolve.
    public var name: String
    /// The DNS server named by the error, if any.
    public var server: String?
    public var failureClass: FailureClass
    public var shape: FailureShape
    /// The libc that the error text reveals, if any.
    public var libc: Libc?

    public init(name: String, server: String?, failureClass: FailureClass, shape: FailureShape, libc: Libc?) {
        self.name = name
        self.server = server
        self.failureClass = failureClass
        self.shape = shape
        self.libc = libc
    }
}

/// One DNS failure mention as byte ranges of the message it was found in, valid while the
/// message is: what ``DNSFailureScanner/scanMentions(_:_:)`` hands over without copying.
public struct DNSMention {
    /// The bytes of the name that failed to resolve.
    public var name: UnsafeRawBufferPointer
    /// The bytes of the DNS server named by the error, if any.
    public var server: UnsafeRawBufferPointer?
    public var failureClass: FailureClass
    public var shape: FailureShape
    /// The libc that the error text reveals, if any.
    public var libc: Libc?

    /// The mention as a value that owns its text.
    public var failure: DNSFailure {
        DNSFailure(name: name.string, server: server.map { $0.string }, failureClass: failureClass, shape: shape, libc: libc)
    }
}
