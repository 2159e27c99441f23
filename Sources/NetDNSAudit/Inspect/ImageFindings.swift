/// The findings for one Go binary in an image: whether it can start there (loader, libc,
/// glibc version, libraries) and what will fail at run time (CA bundle, zone data, resolver).
public enum ImageFindings {
    /// The multiarch directory of Debian for an architecture.
    static func triplet(_ goarch: String) -> String? {
        switch goarch {
        case "amd64": return "x86_64-linux-gnu"
        case "arm64": return "aarch64-linux-gnu"
        case "386": return "i386-linux-gnu"
        case "arm": return "arm-linux-gnueabihf"
        case "ppc64le": return "powerpc64le-linux-gnu"
        case "s390x": return "s390x-linux-gnu"
        case "riscv64": return "riscv64-linux-gnu"
        default: return nil
        }
    }

    /// Names musl's loader serves itself (its `reserved` list): `libc`, `libpthread`, `libm`, ...
    static func servedByMusl(_ soname: String) -> Bool {
        ["libc.", "libpthread.", "librt.", "libm.", "libdl.", "libutil.", "libxnet."].contains { soname.hasPrefix($0) }
    }

    static func isMuslFile(_ path: String) -> Bool {
        path.contains("ld-musl-") || path.contains("libc.musl-") || path.contains("gcompat") || path.hasPrefix("usr/lib/musl/")
    }

    public static func findings(_ facts: GoBinaryFacts, in fs: MergedFilesystem, environment env: ImageEnvironment) -> [InspectFinding] {
        var out: [InspectFinding] = []
        let binary = facts.path
        func add(_ rule: InspectFinding.Rule, _ message: String, _ advice: String) {
            out.append(InspectFinding(rule: rule, binary: binary, message: message, advice: advice))
        }
        var loaderPath: String?
        if let loader = facts.interpreter {
            switch fs.resolve(loader) {
            case .failure(.missing(let at, let hops)):
                let via = hops.isEmpty ? "" : " (via \(hops.joined(separator: ", ")); \(at) is missing)"
                add(.loaderMissing, "the loader \(loader) named in PT_INTERP is not in the image\(via): exec fails with \"exec \(binary): no such file or directory\"",
                    InspectAdvice.wrongLibc(facts))
            case .failure(.loop(let at)):
                add(.loaderMissing, "the loader \(loader) named in PT_INTERP is a symbolic link loop in the image (\(at)): exec fails", InspectAdvice.wrongLibc(facts))
            case .success(let r):
                loaderPath = r.path
                let muslServed = isMuslFile(r.path) || r.hops.contains { isMuslFile($0) }
                let glibcLoader = !loader.contains("ld-musl-")
                if glibcLoader && muslServed {
                    add(.libcMismatch, "the glibc loader \(loader) is served by musl in this image (\(r.hops.isEmpty ? "/" + r.path : r.hops.joined(separator: ", "))): glibc symbols and versions are missing at run time",
                        InspectAdvice.wrongLibc(facts))
                } else if !glibcLoader && !muslServed && r.path.contains("ld-linux") {
                    add(.libcMismatch, "the musl loader \(loader) is served by glibc in this image (\(r.hops.joined(separator: ", ")))", InspectAdvice.wrongLibc(facts))
                } else if glibcLoader, env.glibcVersion == nil, env.hasMusl, facts.libc == .glibc {
                    add(.libcMismatch, "glibc binary in an image whose C library is musl (\(env.muslVersion.map { "musl " + $0 } ?? "musl"))", InspectAdvice.wrongLibc(facts))
                }
            }
        }
        if let required = facts.glibcRequired, let have = env.glibcVersion, GlibcVersion.isOlder(have, than: required), out.isEmpty {
            add(.glibcTooOld, "needs GLIBC_\(required), the image has glibc \(have): \"\(binary): /lib/\(triplet(facts.goarch ?? "") ?? "x86_64-linux-gnu")/libc.so.6: version `GLIBC_\(required)' not found (required by \(binary))\"",
                InspectAdvice.glibcTooOld(facts, required: required, imageHas: have))
        }
        if out.isEmpty, facts.linkage == .dynamic {
            let musl = facts.interpreter?.contains("ld-musl-") ?? false
            var dirs = ["lib", "usr/lib", "lib64", "usr/lib64", "usr/local/lib"]
            if !musl, let t = triplet(facts.goarch ?? facts.machine) { dirs = ["lib/\(t)", "usr/lib/\(t)"] + dirs }
            if let ld = ImageManifest.Config.with(env: env.env).environment("LD_LIBRARY_PATH") {
                dirs = ld.split(separator: ":").map { String($0.drop { $0 == "/" }) } + dirs
            }
            for soname in facts.needed {
                if musl && servedByMusl(soname) { continue }
                if soname.contains("/") { if fs.exists(soname) { continue } }
                if dirs.contains(where: { fs.regularFile($0 + "/" + soname) != nil }) { continue }
                if let loaderPath, loaderPath.hasSuffix("/" + soname) { continue }
                let text = musl
                    ? "Error loading shared library \(soname): No such file or directory (needed by \(binary))"
                    : "error while loading shared libraries: \(soname): cannot open shared object file: No such file or directory"
                add(.libraryMissing, "\(soname) (DT_NEEDED) is not in the image's library paths: \"\(text)\"", InspectAdvice.libraryMissing(facts, library: soname))
            }
        }
        let prediction = ResolverPrediction.predict(facts, environment: env)
        if facts.cgoResolver, !prediction.forcedGo, prediction.reachable {
            add(.cgoResolver, "the cgo DNS resolver is compiled in and reachable: \(prediction.summary)", InspectAdvice.cgoResolver(facts))
        }
        let config = ImageManifest.Config.with(env: env.env)
        if facts.needsCACertificates, env.caBundle == nil {
            let custom = config.environment("SSL_CERT_FILE").map { fs.regularFile($0) != nil } ?? false
            if !custom {
                add(.caCertificatesMissing, "crypto/x509 loads the system roots and the image has no CA bundle: TLS fails with \"x509: certificate signed by unknown authority\"",
                    InspectAdvice.caCertificates)
            }
        }
        if facts.needsZoneinfo, !env.hasZoneinfo {
            let custom = config.environment("ZONEINFO").map { fs.exists($0) } ?? false
            if !custom {
                add(.tzdataMissing, "time.LoadLocation is compiled in without time/tzdata and the image has no /usr/share/zoneinfo: \"unknown time zone\" for every zone but UTC",
                    InspectAdvice.tzdata)
            }
        }
        // A PIE without cgo whose loader is missing: say why it has a loader at all.
        if out.contains(where: { $0.rule == .loaderMissing }), let pie = BinaryFindings.pieLoader(facts) {
            out.append(pie)
        }
        return out
    }
}
