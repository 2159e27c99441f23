/// Everything `inspect` learns about one Go binary from its bytes alone.
public struct GoBinaryFacts: Sendable, Equatable {
    /// `exec` (ET_EXEC), `pie` (ET_DYN with a loader or DF_1_PIE), `shared` (another ET_DYN).
    public enum ELFKind: String, Sendable, Equatable, Codable {
        case exec, pie, shared, other
    }

    public enum Linkage: String, Sendable, Equatable, Codable {
        /// No `PT_INTERP` and no `DT_NEEDED`: runs without a loader.
        case `static`
        /// Needs the loader in `PT_INTERP` and the libraries in `DT_NEEDED`.
        case dynamic
    }

    /// Which C library the binary uses, if any.
    public enum Libc: String, Sendable, Equatable, Codable {
        case glibc, musl, none
    }

    /// Which DNS resolver the binary can use.
    public enum ResolverCapability: String, Sendable, Equatable, Codable {
        /// The cgo resolver is not compiled in: Go's own resolver always.
        case pureGo = "pure-go"
        /// Both are compiled in; Go decides per lookup (nsswitch.conf, resolv.conf, environment).
        case dynamic
        /// The cgo resolver is preferred (`netcgo` tag, or `netdns=cgo` in DefaultGODEBUG).
        case cgo
        /// The cgo resolver is compiled in but DefaultGODEBUG says `netdns=go`.
        case goForced = "go-forced"
    }

    /// The file inspected (for a binary inside an image: its path in the image).
    public var path: String
    public var goVersion: String?
    /// The main module's path (or, without one, the main package's path).
    public var module: String?
    /// The main module's version (`(devel)` for a local build).
    public var moduleVersion: String?
    public var goos: String?
    public var goarch: String?
    /// `CGO_ENABLED` as recorded (nil when the build info has no such line).
    public var cgoEnabled: Bool?
    public var tags: [String] = []
    public var ldflags: String?
    /// `-buildmode` as recorded (go1.19 does not record it).
    public var buildmode: String?
    public var defaultGodebug: String?
    /// Dependencies that need cgo (`github.com/mattn/go-sqlite3`, ...), as module paths.
    public var cgoModules: [String] = []
    /// Packages with cgo calls (`_Cfunc_` functions), from the function table.
    public var cgoPackages: [String] = []

    /// 32 or 64.
    public var elfClass: Int
    public var bigEndian: Bool
    /// The architecture in Go's terms, from `e_machine` (`amd64`, `arm64`, ...).
    public var machine: String
    public var elfType: ELFKind
    public var linkage: Linkage
    /// `PT_INTERP`.
    public var interpreter: String?
    /// `DT_NEEDED`.
    public var needed: [String] = []
    /// The highest `GLIBC_x.y` version needed (`2.34`).
    public var glibcRequired: String?
    public var libc: Libc
    /// Whether the cgo runtime (`runtime/cgo`) is linked in.
    public var runtimeCgo: Bool
    /// Whether the cgo DNS resolver is compiled in (`net._C2func_*` / `net._Cfunc_*`).
    public var cgoResolver: Bool
    public var resolver: ResolverCapability
    /// Whether the cgo user lookup (`os/user._Cfunc_*`) is compiled in.
    public var cgoUserLookup: Bool
    /// crypto/x509 loads the system roots: the image needs a CA bundle.
    public var needsCACertificates: Bool
    /// `time.LoadLocation` is compiled in without embedded zone data (`time/tzdata`).
    public var needsZoneinfo: Bool
    /// `time/tzdata` is compiled in.
    public var embedsZoneinfo: Bool
    /// Where the function table was found (`.gopclntab`, `scan`), or nil without one.
    public var functionTable: String?
    /// The number of functions in the table.
    public var functionCount: Int
}
