/// The seed's decision tree, as one line of advice per finding:
///
/// | build | runs on | fails on |
/// |---|---|---|
/// | `CGO_ENABLED=0` | scratch, distroless/static, Alpine, anything | no CA bundle, no zoneinfo |
/// | `CGO_ENABLED=1`, Debian/glibc builder | glibc images at least as new as the builder | musl/static images (no loader), older glibc |
/// | `CGO_ENABLED=1`, golang:alpine | Alpine with the same libraries | glibc images, missing .so |
/// | cgo needed, pure-Go DNS wanted | as its libc requires | add `-tags netgo` or `GODEBUG=netdns=go` |
public enum InspectAdvice {
    /// The Debian release whose glibc is at least `version` (2.31 bullseye, 2.36 bookworm, 2.41 trixie).
    public static func debianRelease(forGlibc version: String) -> (name: String, number: Int)? {
        let releases: [(String, Int, String)] = [("buster", 10, "2.28"), ("bullseye", 11, "2.31"), ("bookworm", 12, "2.36"), ("trixie", 13, "2.41")]
        for (name, number, glibc) in releases where !GlibcVersion.isOlder(glibc, than: version) { return (name, number) }
        return nil
    }

    /// "cgo is needed (M): ..." when a dependency needs cgo, else nil.
    static func cgoNeeded(_ facts: GoBinaryFacts) -> String? {
        guard let module = (facts.cgoModules.first ?? facts.cgoPackages.first { $0 != "net" && $0 != "os/user" }) else { return nil }
        return module
    }

    static let pureGoBuild = "build with CGO_ENABLED=0 and use distroless/static"

    /// The advice when the image cannot run the binary's libc (no loader, wrong libc).
    public static func wrongLibc(_ facts: GoBinaryFacts) -> String {
        if facts.elfType == .pie, facts.cgoEnabled == false || !facts.runtimeCgo {
            return "drop -buildmode=pie (CGO_ENABLED=0 builds need no loader without it), or use an image with the glibc loader (distroless/base-debian12)"
        }
        if let module = cgoNeeded(facts) {
            return "cgo is needed (\(module)): use distroless/base-debian12, or build on golang:alpine for an Alpine runtime, and add -tags netgo for the pure-Go resolver"
        }
        switch facts.libc {
        case .musl: return "\(pureGoBuild), or build on a Debian builder (golang:1.22-bookworm) for a glibc image, or run it on Alpine"
        case .glibc, .none: return "\(pureGoBuild), or use a glibc image as new as the builder (distroless/base-debian12)"
        }
    }

    public static func glibcTooOld(_ facts: GoBinaryFacts, required: String, imageHas: String) -> String {
        let builder = debianRelease(forGlibc: required)
        let runtime = debianRelease(forGlibc: imageHas)
        var text = "match the builder's Debian release"
        if let builder {
            text += " (golang:1.22-\(builder.name) with distroless/base-debian\(builder.number))"
        }
        if let runtime, runtime.name != builder?.name {
            text += ", or build on golang:1.22-\(runtime.name) for this image"
        }
        if cgoNeeded(facts) == nil { text += "; or \(pureGoBuild)" }
        return text
    }

    public static func libraryMissing(_ facts: GoBinaryFacts, library: String) -> String {
        if let module = cgoNeeded(facts) {
            return "install \(library) in the image (the builder's version), as cgo is needed (\(module))"
        }
        return "install \(library) in the image, or \(pureGoBuild)"
    }

    public static func cgoResolver(_ facts: GoBinaryFacts) -> String {
        if let module = cgoNeeded(facts) {
            return "cgo is needed (\(module)): add -tags netgo for the pure-Go resolver (or set GODEBUG=netdns=go)"
        }
        return "build with CGO_ENABLED=0 (or -tags netgo) for the pure-Go resolver, or set GODEBUG=netdns=go"
    }

    public static let caCertificates = "add a CA bundle at /etc/ssl/certs/ca-certificates.crt (distroless/static has one; on scratch COPY it from the builder)"
    public static let tzdata = "build with -tags timetzdata (or import _ \"time/tzdata\"), or add /usr/share/zoneinfo (Debian/Alpine package tzdata)"
    public static let pieLoader = "drop -buildmode=pie for scratch, distroless/static or Alpine (a CGO_ENABLED=0 PIE still needs /lib64/ld-linux-x86-64.so.2), or use a glibc image"
}
