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
    /// The input shows no service at all (empty input, only binary files, a glob that matched
    /// nothing): a gate that saw nothing has proven nothing. `--allow-empty` turns it off.
    case noInput = "no-input"
    /// `--binary`: the cgo DNS resolver is compiled in (`net._C2func_*`); `--allow` matches the
    /// binary's name, path or main module.
    case cgoResolverCompiled = "cgo-resolver-compiled"
    /// `--image`: the findings of `inspect` (errors violate, warnings warn).
    case loaderMissing = "loader-missing"
    case libcMismatch = "libc-mismatch"
    case glibcTooOld = "glibc-too-old"
    case libraryMissing = "library-missing"
    case entrypointMissing = "entrypoint-missing"
    case cgoResolver = "cgo-resolver"
    case caCertificatesMissing = "ca-certificates-missing"
    case tzdataMissing = "tzdata-missing"
    case pieLoader = "pie-loader"
    /// A build or image fault of a kind listed with `--fail-on-fault` (by default the kinds
    /// that mean the program never ran: ``FaultKind/preventsStart``).
    case fault

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
        case .noInput: return "The input shows at least one service."
        case .cgoResolverCompiled: return "A Go binary has no cgo DNS resolver compiled in (net._C2func_* / net._Cfunc_*)."
        case .loaderMissing: return "The loader a binary names in PT_INTERP is in its image."
        case .libcMismatch: return "A binary's loader is served by the C library it was built for (not glibc by musl)."
        case .glibcTooOld: return "The image's glibc is at least as new as the GLIBC_x.y versions a binary needs."
        case .libraryMissing: return "Every library a binary needs (DT_NEEDED) is in the image's library paths."
        case .entrypointMissing: return "The image's entrypoint is in the image."
        case .cgoResolver: return "No lookup of a binary reaches the cgo resolver under its image's nsswitch.conf, Env and the usual resolv.conf files."
        case .caCertificatesMissing: return "An image has a CA bundle when its binary loads the system roots."
        case .tzdataMissing: return "An image has zone data when its binary loads time zones without embedding them."
        case .pieLoader: return "A CGO_ENABLED=0 binary is not a PIE that needs the glibc loader."
        case .fault: return "No instance shows a build or image fault of the listed kinds (by default: exec-not-found, exec-format, shared-library-missing, glibc-version: the program never ran)."
        }
    }

    /// What the rule checks and how to fix a violation, in a few sentences (SARIF `fullDescription`
    /// and `help`, the docs).
    public var fullDescription: String {
        switch self {
        case .resolverPath:
            return "An instance whose log shows a lookup through cgo (libc getaddrinfo) or both resolvers violates. "
                + "Build with CGO_ENABLED=0 or -tags netgo, or set GODEBUG=netdns=go, so that the pure-Go resolver is used; "
                + "exempt a service with --allow PATTERN if it must use libc."
        case .undetermined:
            return "The log of the instance shows no lookup path at all. Run it with GODEBUG=netdns=go+2 (or cgo+2) so that "
                + "the resolver prints its choice; --undetermined fail|warn|pass sets how much this counts."
        case .requireTrace:
            return "With --require-trace, an instance without any 'go package net:' line violates: without GODEBUG=netdns=go+2 "
                + "the log cannot prove which resolver is used."
        case .maxFailures:
            return "With --max-failures N, a service with more than N DNS failures (no such host, server misbehaving, "
                + "i/o timeout, connection refused, temporary failures) violates. The evidence lists the classes, instances and names."
        case .failOn:
            return "With --fail-on CLASS, a single DNS failure of a listed class violates (nxdomain, servfail, timeout, "
                + "refused, temporary, nodata, other)."
        case .expectedService:
            return "With --expect-services A,B, a listed service that no line of the input is attributed to violates: "
                + "its logs were not collected, or it was renamed."
        case .skippedInput:
            return "A file judged binary (not a log) is skipped unread, so nothing in it was checked. --on-skipped fail "
                + "makes that a violation; by default it is a warning."
        case .noInput:
            return "No line of the input was attributed to any service: the input was empty, held only binary or "
                + "unreadable data, or a path glob matched nothing. Check the inputs, or pass --allow-empty "
                + "(policy key allowEmptyInput) when an empty input is expected."
        case .cgoResolverCompiled:
            return "With --binary PATH, a Go binary whose function table holds net._C2func_* or net._Cfunc_* has libc's resolver "
                + "compiled in, which Go may pick per lookup. Build with CGO_ENABLED=0, or with -tags netgo when cgo is needed; "
                + "exempt a binary with --allow PATTERN (its file name, path or main module)."
        case .loaderMissing, .libcMismatch, .glibcTooOld, .libraryMissing, .entrypointMissing:
            return "With --image PATH, an inspect error finding: the binary does not start in the image (see docs/inspect.md). "
                + "The finding's advice says which build or base image fits."
        case .cgoResolver, .caCertificatesMissing, .tzdataMissing, .pieLoader:
            return "With --image PATH, an inspect warning: something fails at run time in the image (see docs/inspect.md)."
        case .fault:
            return "An instance that shows a build or image fault of a listed kind violates (by default exec-not-found, "
                + "exec-format, shared-library-missing, glibc-version: the program never ran, so nothing it printed proves its "
                + "resolver). Fix the image or build (docs/faults.md gives each kind's change); --fail-on-fault KIND sets the kinds."
        }
    }

    /// Whether `--allow` exempts a service from this rule. Allowed services are exempt from
    /// the resolver rules; DNS health gates and expected services still apply.
    public var exemptable: Bool {
        switch self {
        case .resolverPath, .undetermined, .requireTrace: return true
        case .cgoResolverCompiled: return true
        case .maxFailures, .failOn, .expectedService, .skippedInput, .noInput, .fault: return false
        case .loaderMissing, .libcMismatch, .glibcTooOld, .libraryMissing, .entrypointMissing, .cgoResolver,
             .caCertificatesMissing, .tzdataMissing, .pieLoader: return false
        }
    }

    public static func < (a: PolicyRule, b: PolicyRule) -> Bool { a.order < b.order }

    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}

extension PolicyRule {
    /// The gate rule of an `inspect` finding.
    public init(_ rule: InspectFinding.Rule) {
        switch rule {
        case .loaderMissing: self = .loaderMissing
        case .libcMismatch: self = .libcMismatch
        case .glibcTooOld: self = .glibcTooOld
        case .libraryMissing: self = .libraryMissing
        case .entrypointMissing: self = .entrypointMissing
        case .cgoResolver: self = .cgoResolver
        case .caCertificatesMissing: self = .caCertificatesMissing
        case .tzdataMissing: self = .tzdataMissing
        case .pieLoader: self = .pieLoader
        }
    }
}
