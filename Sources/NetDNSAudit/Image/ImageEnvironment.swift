/// What an image's files say about the environment its binaries run in.
public struct ImageEnvironment: Sendable, Equatable, Encodable {
    /// `PRETTY_NAME` of os-release.
    public var os: String?
    /// glibc's version: from dpkg (`libc6`), distroless `status.d`, or the libc.so.6 banner.
    public var glibcVersion: String?
    /// musl's version, from `/lib/apk/db/installed`.
    public var muslVersion: String?
    /// Whether a musl C library is present (apk record, or a musl loader file).
    public var hasMusl: Bool
    /// The first CA bundle found (`/etc/ssl/certs/ca-certificates.crt`, ...).
    public var caBundle: String?
    /// Whether `/usr/share/zoneinfo` has zone files.
    public var hasZoneinfo: Bool
    /// The `hosts` sources of /etc/nsswitch.conf; nil when the file is absent.
    public var nsswitchHosts: [String]?
    public var hasMDNSAllow: Bool
    /// The config's Env.
    public var env: [String]
    public var architecture: String?

    static let caBundles = ["etc/ssl/certs/ca-certificates.crt", "etc/pki/tls/certs/ca-bundle.crt", "etc/ssl/cert.pem", "etc/ssl/ca-bundle.pem"]
    static let musLoaders = ["lib/ld-musl-x86_64.so.1", "lib/ld-musl-aarch64.so.1", "lib/ld-musl-armhf.so.1", "lib/ld-musl-i386.so.1", "lib/ld-musl-arm.so.1"]

    /// Reads the facts from `fs`.
    public init(_ fs: MergedFilesystem, config: ImageManifest.Config) {
        env = config.env
        architecture = config.architecture
        func text(_ path: String) -> String? {
            if case .text(let bytes)? = fs.regularFile(path)?.content { return String(decoding: bytes, as: UTF8.self) }
            return nil
        }
        os = (text("etc/os-release") ?? text("usr/lib/os-release")).flatMap { Self.osReleaseName($0) }
        var glibc = text("var/lib/dpkg/status").flatMap(DpkgStatus.libcVersion)
        if glibc == nil {
            for path in fs.paths(under: "var/lib/dpkg/status.d/") {
                if let v = text(path).flatMap(DpkgStatus.libcVersion) { glibc = v; break }
            }
        }
        if glibc == nil {
            for (_, file) in fs.files.sorted(by: { $0.key < $1.key }) {
                if case .glibc(let v?)? = file.content { glibc = v; break }
            }
        }
        glibcVersion = glibc
        muslVersion = text("lib/apk/db/installed").flatMap(Self.apkVersion)
        hasMusl = muslVersion != nil || Self.musLoaders.contains { fs.exists($0) }
        caBundle = Self.caBundles.first { fs.regularFile($0).map { $0.size > 0 } ?? false }.map { "/" + $0 }
        hasZoneinfo = fs.files.keys.contains { $0.hasPrefix("usr/share/zoneinfo/") && fs.files[$0]?.kind == .regular }
            || fs.isDirectory("usr/share/zoneinfo") && !fs.paths(under: "usr/share/zoneinfo/").isEmpty
        nsswitchHosts = text("etc/nsswitch.conf").map(NSSwitch.hostsSources)
        hasMDNSAllow = fs.exists("etc/mdns.allow")
    }

    static func osReleaseName(_ text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            var v = line.dropFirst(12)
            if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = v.dropFirst().dropLast() }
            return String(v)
        }
        return nil
    }

    /// `V:` of the `P:musl` record.
    static func apkVersion(_ text: String) -> String? {
        var inMusl = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { inMusl = false; continue }
            if line == "P:musl" { inMusl = true }
            if inMusl, line.hasPrefix("V:") {
                return String(line.dropFirst(2).prefix { $0 != "-" })
            }
        }
        return nil
    }
}

/// `/etc/nsswitch.conf`, as Go's `net/nss.go` reads the `hosts` line.
public enum NSSwitch {
    /// The sources of the `hosts` line (`files`, `dns`, `[NOTFOUND=return]` kept as written),
    /// empty when there is no such line.
    public static func hostsSources(_ text: String) -> [String] {
        for raw in text.split(separator: "\n") {
            var line = Substring(raw)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("hosts:") else { continue }
            let rest = trimmed.dropFirst(6)
            // Criteria in brackets stay one token: "[NOTFOUND=return]".
            var tokens: [String] = []
            var current = ""
            var inBracket = false
            for ch in rest {
                if ch == "[" { inBracket = true }
                if ch == "]" { inBracket = false }
                if (ch == " " || ch == "\t") && !inBracket {
                    if !current.isEmpty { tokens.append(current); current = "" }
                } else {
                    current.append(ch)
                }
            }
            if !current.isEmpty { tokens.append(current) }
            return tokens
        }
        return []
    }
}
