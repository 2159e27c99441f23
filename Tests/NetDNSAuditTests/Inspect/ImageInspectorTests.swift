import Foundation
import Testing
@testable import NetDNSAudit

/// Images assembled from the real fixture binaries and real base files, in every layout, with
/// whiteouts and opaque directories; each asserts the exact findings.
@Suite struct ImageInspectorTests {
    static func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let dir = try InputTestSupport.temporaryDirectory()
        let url = dir.appendingPathComponent(name)
        try InputTestSupport.write(bytes, to: url)
        return url.path
    }

    static func inspect(_ bytes: [UInt8], name: String = "image.tar") throws -> (InspectReport.Image, [String]) {
        let report = Inspector().inspect([.path(try write(bytes, name))])
        let image = try #require(report.images.first)
        return (image, report.errors)
    }

    static func rules(_ image: InspectReport.Image) -> [String] {
        image.findings.map { "\($0.rule.rawValue) \($0.binary)" }
    }

    /// Debian 12 base, /app = a go1.27 cgo build, a pure-Go helper, zoneinfo removed by a whiteout.
    static func bookwormApp(release: String = "bookworm") -> ImageBuilder {
        var app = LayerBuilder()
        app.executable("app", InspectFixtures.bytes("go127-cgo1-stripped"))
        app.executable("usr/local/bin/helper", InspectFixtures.bytes("go127-cgo0-stripped"))
        app.whiteout("usr/share/zoneinfo")
        var image = ImageBuilder()
        image.layers = [BaseLayers.debian(release: release).tar, app.tar]
        return image
    }

    @Test func debianBookwormLegacyDockerSave() throws {
        let (image, errors) = try Self.inspect(Self.bookwormApp().dockerSave(.dockerSaveLegacy))
        #expect(errors == [])
        #expect(image.format == "docker-save")
        #expect(image.entrypoint == ["/app"])
        #expect(image.entrypointPath == "/app")
        #expect(image.environment.glibcVersion == "2.36")
        #expect(image.environment.os == "Debian GNU/Linux 12 (bookworm)")
        #expect(image.environment.nsswitchHosts == ["files", "dns"])
        #expect(image.environment.hasZoneinfo == false) // whited out
        #expect(image.binaries.map(\.facts.path) == ["/app", "/usr/local/bin/helper"])
        // go1.27 with files,dns and the usual resolv.conf files: the cgo resolver is not reached.
        #expect(Self.rules(image) == ["tzdata-missing /app", "tzdata-missing /usr/local/bin/helper"])
    }

    @Test func bullseyeGlibcTooOld() throws {
        let (image, _) = try Self.inspect(Self.bookwormApp(release: "bullseye").dockerSave(.dockerSaveOCI, gzipLayers: true))
        #expect(image.format == "docker-save-oci")
        #expect(image.environment.glibcVersion == "2.31")
        #expect(Self.rules(image) == ["glibc-too-old /app", "tzdata-missing /app", "tzdata-missing /usr/local/bin/helper"])
        let finding = try #require(image.findings.first)
        #expect(finding.message.contains("version `GLIBC_2.34' not found (required by /app)"))
        #expect(finding.advice == "match the builder's Debian release (golang:1.22-bookworm with distroless/base-debian12), or build on golang:1.22-bullseye for this image; or build with CGO_ENABLED=0 and use distroless/static")
    }

    @Test func glibcBinaryOnAlpineHasNoLoader() throws {
        var app = LayerBuilder()
        app.executable("app", InspectFixtures.bytes("go127-cgo1-stripped"))
        app.executable("bin/musl-app", InspectFixtures.bytes("go127-musl-dynamic"))
        app.executable("bin/sqlite-app", InspectFixtures.bytes("go127-sqlite-cgo1"))
        var image = ImageBuilder()
        image.layers = [BaseLayers.alpine().tar, app.tar]
        let (report, errors) = try Self.inspect(image.dockerSave(.dockerSaveLegacy, gzipLayers: true, manifestFirst: true))
        #expect(errors == [])
        #expect(report.environment.muslVersion == "1.2.4")
        #expect(report.environment.hasMusl)
        #expect(report.binaries.map(\.facts.path) == ["/app", "/bin/musl-app", "/bin/sqlite-app"])
        #expect(Self.rules(report) == ["loader-missing /app", "loader-missing /bin/sqlite-app"])
        #expect(report.findings[0].message == "the loader /lib64/ld-linux-x86-64.so.2 named in PT_INTERP is not in the image: exec fails with \"exec /app: no such file or directory\"")
        #expect(report.findings[0].advice == "build with CGO_ENABLED=0 and use distroless/static, or use a glibc image as new as the builder (distroless/base-debian12)")
        #expect(report.findings[1].advice == "cgo is needed (github.com/mattn/go-sqlite3): use distroless/base-debian12, or build on golang:alpine for an Alpine runtime, and add -tags netgo for the pure-Go resolver")
    }

    @Test func gcompatServesTheGlibcLoaderWithMusl() throws {
        var app = LayerBuilder()
        app.executable("app", InspectFixtures.bytes("go127-cgo1-stripped"))
        var image = ImageBuilder()
        image.layers = [BaseLayers.alpine(gcompat: true).tar, app.tar]
        let (report, _) = try Self.inspect(image.dockerSave(.dockerSaveOCI))
        #expect(Self.rules(report) == ["libc-mismatch /app"])
        #expect(report.findings[0].message.contains("/lib64/ld-linux-x86-64.so.2 -> /lib/ld-musl-x86_64.so.1"))
    }

    @Test func scratchImage() throws {
        var app = LayerBuilder()
        app.executable("app", InspectFixtures.bytes("go127-pie-cgo0"))
        app.executable("tls", InspectFixtures.bytes("go127-tls-cgo0"))
        app.executable("tz", InspectFixtures.bytes("go127-tiny-tzdata"))
        app.executable("static", InspectFixtures.bytes("go127-tiny"))
        var image = ImageBuilder()
        image.layers = [app.tar]
        let (report, _) = try Self.inspect(image.dockerSave(.dockerSaveLegacy))
        #expect(report.environment.glibcVersion == nil)
        #expect(report.environment.hasMusl == false)
        #expect(Self.rules(report) == ["loader-missing /app", "tzdata-missing /app", "pie-loader /app", "tzdata-missing /static", "ca-certificates-missing /tls"])
        #expect(report.findings[0].advice.hasPrefix("drop -buildmode=pie"))
    }

    @Test func libraryMissingAndSymlinkedEntrypointOnPath() throws {
        var base = BaseLayers.debian()
        base.whiteout("usr/lib/x86_64-linux-gnu/libc.so.6") // a whiteout in the same layer does not touch it
        var app = LayerBuilder()
        app.whiteout("usr/lib/x86_64-linux-gnu/libc.so.6")
        app.executable("opt/svc/bin/svc", InspectFixtures.bytes("go119-cgo1-unstripped"))
        app.symlink("usr/local/bin/svc", to: "/opt/svc/bin/svc")
        var image = ImageBuilder()
        image.entrypoint = nil
        image.cmd = ["svc", "--serve"]
        image.layers = [base.tar, app.tar]
        let (report, _) = try Self.inspect(image.dockerSave(.dockerSaveLegacy))
        #expect(report.entrypointPath == "/opt/svc/bin/svc")
        #expect(report.entrypoint == ["svc", "--serve"])
        // go1.19: every *.local name and systemd-resolved's options go to libc.
        #expect(Self.rules(report) == ["library-missing /opt/svc/bin/svc", "cgo-resolver /opt/svc/bin/svc"])
        #expect(report.findings[0].message.contains("error while loading shared libraries: libc.so.6: cannot open shared object file"))
        #expect(report.findings[1].message.contains("every *.local name"))
        #expect(report.findings[1].message.contains("systemd-resolved"))
    }

    @Test func opaqueDirectoryAndNSSwitchSendLookupsToLibc() throws {
        var base = BaseLayers.debian()
        base.text("etc/extra.conf", "kept only until the opaque marker\n")
        var app = LayerBuilder()
        app.opaque("etc")
        app.text("etc/nsswitch.conf", "hosts: files mdns4_minimal [NOTFOUND=return] dns myhostname resolve\n")
        app.executable("app", InspectFixtures.bytes("go127-cgo1-stripped"))
        app.executable("forced", InspectFixtures.bytes("go127-godebug-netdns-go"))
        var image = ImageBuilder()
        image.env.append("RES_OPTIONS=ndots:2")
        image.layers = [base.tar, app.tar]
        let (report, _) = try Self.inspect(image.dockerSave(.dockerSaveLegacy))
        #expect(report.environment.nsswitchHosts == ["files", "mdns4_minimal", "[NOTFOUND=return]", "dns", "myhostname", "resolve"])
        #expect(report.environment.os == nil) // os-release was under the opaque /etc
        #expect(Self.rules(report) == ["cgo-resolver /app"])
        let message = report.findings[0].message
        #expect(message.contains("RES_OPTIONS is set in Env"))
        #expect(message.contains("/etc/nsswitch.conf hosts uses resolve"))
        #expect(message.contains("myhostname"))
    }

    @Test func environmentGodebugForcesGo() throws {
        var app = LayerBuilder()
        app.executable("app", InspectFixtures.bytes("go127-netcgo"))
        var image = ImageBuilder()
        image.layers = [BaseLayers.debian().tar, app.tar]
        let (plain, _) = try Self.inspect(image.dockerSave(.dockerSaveLegacy))
        #expect(Self.rules(plain) == ["cgo-resolver /app"])
        #expect(plain.findings[0].message.contains("built with -tags netcgo"))
        image.env.append("GODEBUG=netdns=go")
        let (forced, _) = try Self.inspect(image.dockerSave(.dockerSaveLegacy))
        #expect(Self.rules(forced) == [])
    }

    @Test func gzippedArchiveAndOCILayoutAgree() throws {
        let image = Self.bookwormApp()
        let (plain, _) = try Self.inspect(image.dockerSave(.dockerSaveOCI))
        let (gz, _) = try Self.inspect(InputTestSupport.gzip(image.dockerSave(.dockerSaveOCI, gzipLayers: true)), name: "image.tar.gz")
        let dir = try InputTestSupport.temporaryDirectory().appendingPathComponent("layout")
        try image.ociLayout(at: dir, compress: InputTestSupport.gzip)
        let layout = Inspector().inspect([.path(dir.path)])
        #expect(layout.errors == [])
        let fromLayout = try #require(layout.images.first)
        #expect(fromLayout.format == "oci-layout")
        for other in [gz, fromLayout] {
            #expect(Self.rules(other) == Self.rules(plain))
            #expect(other.binaries.map(\.facts) == plain.binaries.map(\.facts))
            #expect(other.environment == plain.environment)
        }
    }

    @Test func zstdLayers() throws {
        let zstd = ["/usr/bin/zstd", "/bin/zstd"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard ZstdSource.isAvailable, let zstd else { return } // needs libzstd and the zstd tool
        func compress(_ bytes: [UInt8]) -> [UInt8] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: zstd)
            p.arguments = ["-q", "-c", "-3"]
            let inPipe = Pipe(), outPipe = Pipe()
            p.standardInput = inPipe
            p.standardOutput = outPipe
            try? p.run()
            DispatchQueue.global().async { inPipe.fileHandleForWriting.write(Data(bytes)); try? inPipe.fileHandleForWriting.close() }
            let out = outPipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return [UInt8](out)
        }
        let image = Self.bookwormApp()
        let dir = try InputTestSupport.temporaryDirectory().appendingPathComponent("layout")
        try image.ociLayout(at: dir, compress: compress)
        let report = Inspector().inspect([.path(dir.path)])
        #expect(report.errors == [])
        #expect(Self.rules(try #require(report.images.first)) == ["tzdata-missing /app", "tzdata-missing /usr/local/bin/helper"])
        // Without libzstd: one line per zstd layer, the image still reported.
        let without = try BuiltTool.run(["inspect", dir.path], environment: ["NETDNS_AUDIT_NO_ZSTD": "1"])
        #expect(without.status == 2)
        let blob0 = dir.path + "/blobs/sha256/" + ImageBuilder.hex(0, "layer")
        let blob1 = dir.path + "/blobs/sha256/" + ImageBuilder.hex(1, "layer")
        let reason = "zstd-compressed layer, but the system libzstd (libzstd.so.1, Debian package libzstd1) is not installed"
        #expect(without.stderr == "netdns-audit: \(blob0): \(reason)\nnetdns-audit: \(blob1): \(reason)\n")
        #expect(String(decoding: without.stdout, as: UTF8.self).contains("entrypoint-missing"))
    }

    @Test func rootFilesystem() throws {
        let root = try InputTestSupport.temporaryDirectory().appendingPathComponent("rootfs")
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("lib"), withIntermediateDirectories: true)
        try Data(BaseLayers.gz("ld-musl-x86_64.so.1")).write(to: root.appendingPathComponent("lib/ld-musl-x86_64.so.1"))
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("lib/libc.musl-x86_64.so.1").path, withDestinationPath: "ld-musl-x86_64.so.1")
        for (name, fixture) in [("app", "go127-cgo1-stripped"), ("musl", "go127-musl-dynamic")] {
            _ = fm.createFile(atPath: root.appendingPathComponent(name).path, contents: Data(InspectFixtures.bytes(fixture)), attributes: [.posixPermissions: 0o755])
        }
        let report = Inspector().inspect([.root(root.path)])
        let image = try #require(report.images.first)
        #expect(image.format == "rootfs")
        #expect(Self.rules(image) == ["loader-missing /app", "tzdata-missing /app", "tzdata-missing /musl"])
    }
}
