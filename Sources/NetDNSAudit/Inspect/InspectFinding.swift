/// A problem `inspect` found with a binary, alone or in its image.
public struct InspectFinding: Sendable, Equatable, Encodable {
    /// The rules, by id.
    public enum Rule: String, Sendable, Equatable, Codable, CaseIterable {
        /// `PT_INTERP` names a loader the image does not have: exec fails with "no such file or directory".
        case loaderMissing = "loader-missing"
        /// The glibc loader path is served by musl (gcompat links) or the other way round.
        case libcMismatch = "libc-mismatch"
        /// The binary needs a newer glibc than the image has (`GLIBC_2.34` not found).
        case glibcTooOld = "glibc-too-old"
        /// A `DT_NEEDED` library is not in the image's library paths.
        case libraryMissing = "library-missing"
        /// The cgo resolver is compiled in (and, in an image, reachable).
        case cgoResolver = "cgo-resolver"
        /// crypto/x509 loads system roots and the image has no CA bundle.
        case caCertificatesMissing = "ca-certificates-missing"
        /// time.LoadLocation without embedded zone data, and the image has no /usr/share/zoneinfo.
        case tzdataMissing = "tzdata-missing"
        /// A `CGO_ENABLED=0` PIE that still names the glibc loader.
        case pieLoader = "pie-loader"
        /// The image's entrypoint could not be found or is not a Go binary.
        case entrypointMissing = "entrypoint-missing"

        /// Errors stop the binary from starting; warnings fail only some work (TLS, zones, lookups).
        public var severity: Severity {
            switch self {
            case .loaderMissing, .libcMismatch, .glibcTooOld, .libraryMissing, .entrypointMissing: return .error
            case .cgoResolver, .caCertificatesMissing, .tzdataMissing, .pieLoader: return .warning
            }
        }
    }

    public enum Severity: String, Sendable, Equatable, Codable {
        case error, warning
    }

    public var rule: Rule
    /// The binary's path (in the image, or on disk).
    public var binary: String
    /// What is wrong, in one line.
    public var message: String
    /// What to do, in one line (the decision tree's advice).
    public var advice: String

    public var severity: Severity { rule.severity }

    public init(rule: Rule, binary: String, message: String, advice: String) {
        self.rule = rule
        self.binary = binary
        self.message = message
        self.advice = advice
    }

    enum CodingKeys: String, CodingKey { case rule, severity, binary, message, advice }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rule, forKey: .rule)
        try c.encode(severity, forKey: .severity)
        try c.encode(binary, forKey: .binary)
        try c.encode(message, forKey: .message)
        try c.encode(advice, forKey: .advice)
    }
}
