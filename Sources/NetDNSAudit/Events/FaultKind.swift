/// A failure of the build or the base image that a program, its loader or its runtime prints
/// (docs/faults.md lists the texts of each kind, as real runs printed them).
public enum FaultKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// The program could not be started although the file exists: its loader (PT_INTERP) is
    /// missing, a glibc-linked binary on Alpine or distroless/static. runc
    /// `exec /app: no such file or directory`, crun `exec container process (missing dynamic
    /// library?) ...`, older runc `standard_init_linux.go:NNN: exec user process caused: no such
    /// file or directory`, busybox `sh: ./app: not found`, Go `fork/exec /app: no such file or directory`.
    case execNotFound = "exec-not-found"
    /// `exec format error`: a binary of another architecture.
    case execFormat = "exec-format"
    /// glibc `error while loading shared libraries: X: cannot open shared object file`, musl
    /// `Error loading shared library X: No such file or directory (needed by Y)`.
    case sharedLibraryMissing = "shared-library-missing"
    /// musl `Error relocating Y: S: symbol not found`.
    case symbolNotFound = "symbol-not-found"
    /// glibc ``version `GLIBC_2.34' not found (required by Y)``: the image's glibc is older than the builder's.
    case glibcVersion = "glibc-version"
    /// Go `x509: certificate signed by unknown authority` (also after `tls: failed to verify
    /// certificate: `) or `x509: failed to load system roots`: no CA bundle, or a private CA.
    case caCertificatesMissing = "ca-certificates-missing"
    /// Go `unknown time zone X`: no zoneinfo in the image and no embedded `time/tzdata`.
    case tzdataMissing = "tzdata-missing"
    /// A goroutine dump (SIGQUIT, panic, `fatal error:`) with frames of the cgo resolver.
    case cgoResolverStack = "cgo-resolver-stack"
    /// `runtime: program exceeds N-thread limit`: with cgo lookups, blocked getaddrinfo calls
    /// each holding a thread.
    case threadLimit = "thread-limit"

    public static func < (a: FaultKind, b: FaultKind) -> Bool { a.rawValue < b.rawValue }

    /// Whether the fault means the program never ran (so nothing it printed proves its resolver):
    /// `check` counts these as violations unless told otherwise.
    public var preventsStart: Bool {
        switch self {
        case .execNotFound, .execFormat, .sharedLibraryMissing, .glibcVersion: return true
        case .symbolNotFound, .caCertificatesMissing, .tzdataMissing, .cgoResolverStack, .threadLimit: return false
        }
    }

    /// The fault in a few words, for tables and messages.
    public var phrase: String {
        switch self {
        case .execNotFound: return "exec failed: file or its loader not found"
        case .execFormat: return "exec format error (wrong architecture)"
        case .sharedLibraryMissing: return "shared library missing"
        case .symbolNotFound: return "symbol not found (musl relocation)"
        case .glibcVersion: return "image glibc older than the build's"
        case .caCertificatesMissing: return "CA bundle missing or private CA"
        case .tzdataMissing: return "time zone data missing"
        case .cgoResolverStack: return "goroutines stuck in the cgo resolver"
        case .threadLimit: return "thread limit exceeded"
        }
    }

    /// What to change, after the base-image decision tree (docs/faults.md), in one line.
    public var advice: String {
        switch self {
        case .execNotFound:
            return "the image lacks the binary's loader: build with CGO_ENABLED=0 (or -tags netgo,osusergo) for scratch/distroless/static/Alpine, or ship a glibc image (distroless/base-debian12) for a glibc cgo build, a musl one for a golang:alpine build"
        case .execFormat:
            return "the binary is for another architecture: build with GOARCH of the node (or a multi-arch image)"
        case .sharedLibraryMissing:
            return "install the missing library in the image (same libc as the builder), or link it statically"
        case .symbolNotFound:
            return "the image's library lacks symbols the binary needs: use the builder's library version (golang:alpine builder with the same Alpine)"
        case .glibcVersion:
            return "the image's glibc is older than the builder's: use a base as new as the builder (distroless/base-debian12 for bookworm), or CGO_ENABLED=0"
        case .caCertificatesMissing:
            return "add a CA bundle (/etc/ssl/certs/ca-certificates.crt, e.g. distroless/static or COPY from the builder), or add the private CA to it"
        case .tzdataMissing:
            return "import _ \"time/tzdata\" (or build with -tags timetzdata), or add tzdata to the image"
        case .cgoResolverStack:
            return "lookups wait in libc's getaddrinfo: GODEBUG=netdns=go now; -tags netgo or CGO_ENABLED=0 for good"
        case .threadLimit:
            return "blocked cgo lookups each hold a thread: GODEBUG=netdns=go now; -tags netgo or CGO_ENABLED=0 for good"
        }
    }
}
