import Foundation
@testable import NetDNSAudit

/// Builds test images byte by byte: layers as tar streams (entries with modes, links,
/// whiteouts), then `docker save` archives (legacy or OCI variant) or OCI layout directories.
struct LayerBuilder {
    var bytes: [UInt8] = []

    mutating func entry(_ name: String, _ data: [UInt8] = [], type: UInt8 = 0x30, mode: Int = 0o644, link: String = "") {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, _ at: Int) { for (i, b) in text.utf8.enumerated() where at + i < 512 { header[at + i] = b } }
        if name.utf8.count > 99 {
            // A pax path for long names.
            let body = " path=\(name)\n"
            var length = body.utf8.count + 1
            while String(length).utf8.count + body.utf8.count != length { length += 1 }
            entry("PaxHeaders/x", Array("\(length)\(body)".utf8), type: 0x78)
        }
        put(String(name.prefix(99)), 0)
        put(String(format: "%07o", mode) + "\0", 100)
        put("0000000\0", 108)
        put("0000000\0", 116)
        put(String(format: "%011o", data.count) + "\0", 124)
        put("14701234567\0", 136)
        header[156] = type
        put(String(link.prefix(99)), 157)
        put("ustar\0", 257)
        put("00", 263)
        for i in 148..<156 { header[i] = 0x20 }
        let sum = header.reduce(0) { $0 + Int($1) }
        put(String(format: "%06o", sum) + "\0 ", 148)
        bytes += header
        bytes += data
        bytes += [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }

    mutating func file(_ path: String, _ data: [UInt8], mode: Int = 0o644) { entry(path, data, mode: mode) }
    mutating func text(_ path: String, _ text: String) { entry(path, Array(text.utf8)) }
    mutating func executable(_ path: String, _ data: [UInt8]) { entry(path, data, mode: 0o755) }
    mutating func dir(_ path: String) { entry(path + "/", type: 0x35, mode: 0o755) }
    mutating func symlink(_ path: String, to target: String) { entry(path, type: 0x32, mode: 0o777, link: target) }
    mutating func hardlink(_ path: String, to target: String) { entry(path, type: 0x31, link: target) }
    mutating func whiteout(_ path: String) {
        let parts = path.split(separator: "/")
        let dir = parts.dropLast().joined(separator: "/")
        entry((dir.isEmpty ? "" : dir + "/") + ".wh." + parts.last!, [])
    }
    mutating func opaque(_ dir: String) { entry(dir + "/.wh..wh..opq", []) }

    var tar: [UInt8] { bytes + [UInt8](repeating: 0, count: 1024) }
}

enum ImageLayout {
    case dockerSaveLegacy, dockerSaveOCI
}

struct ImageBuilder {
    var layers: [[UInt8]] = []
    var env: [String] = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
    var entrypoint: [String]? = ["/app"]
    var cmd: [String]? = nil

    var configJSON: [UInt8] {
        var config: [String: Any] = ["Env": env]
        if let entrypoint { config["Entrypoint"] = entrypoint }
        if let cmd { config["Cmd"] = cmd }
        let object: [String: Any] = ["architecture": "amd64", "os": "linux", "config": config,
                                     "rootfs": ["type": "layers", "diff_ids": []]]
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    static func hex(_ i: Int, _ salt: String) -> String {
        // Not real digests (the reader does not verify them): distinct 64-hex names.
        let seed = String(format: "%08x", i) + Array(salt.utf8).map { String(format: "%02x", $0) }.joined()
        return String((seed + String(repeating: "0", count: 64)).prefix(64))
    }

    /// A `docker save` archive, layers gzipped when `gzipLayers`.
    func dockerSave(_ layout: ImageLayout, gzipLayers: Bool = false, manifestFirst: Bool = false) -> [UInt8] {
        var outer = LayerBuilder()
        let blobs = layers.map { gzipLayers ? InputTestSupport.gzip($0) : $0 }
        switch layout {
        case .dockerSaveLegacy:
            var paths: [String] = []
            var members: [(String, [UInt8])] = []
            for (i, blob) in blobs.enumerated() {
                let id = Self.hex(i, "layer")
                members.append(("\(id)/VERSION", Array("1.0".utf8)))
                members.append(("\(id)/json", Array("{\"id\":\"\(id)\"}".utf8)))
                members.append(("\(id)/layer.tar", blob))
                paths.append("\(id)/layer.tar")
            }
            let configName = Self.hex(99, "config") + ".json"
            let manifest = try! JSONSerialization.data(withJSONObject: [["Config": configName, "RepoTags": ["test/app:latest"], "Layers": paths]])
            let meta = [(configName, configJSON), ("manifest.json", Array(manifest))]
            for (p, b) in (manifestFirst ? meta + members : members + meta) { outer.file(p, b) }
        case .dockerSaveOCI:
            var layerDescs: [[String: Any]] = []
            var paths: [String] = []
            for (i, blob) in blobs.enumerated() {
                let h = Self.hex(i, "layer")
                outer.file("blobs/sha256/\(h)", blob)
                paths.append("blobs/sha256/\(h)")
                layerDescs.append(["mediaType": "application/vnd.oci.image.layer.v1.tar\(gzipLayers ? "+gzip" : "")", "digest": "sha256:\(h)", "size": blob.count])
            }
            let configHex = Self.hex(99, "config")
            outer.file("blobs/sha256/\(configHex)", configJSON)
            let manifest: [String: Any] = ["schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                                           "config": ["mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:\(configHex)", "size": configJSON.count],
                                           "layers": layerDescs]
            let manifestBytes = Array(try! JSONSerialization.data(withJSONObject: manifest))
            let manifestHex = Self.hex(98, "manifest")
            outer.file("blobs/sha256/\(manifestHex)", manifestBytes)
            let index: [String: Any] = ["schemaVersion": 2, "manifests": [["mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:\(manifestHex)", "size": manifestBytes.count]]]
            outer.file("index.json", Array(try! JSONSerialization.data(withJSONObject: index)))
            outer.file("oci-layout", Array("{\"imageLayoutVersion\":\"1.0.0\"}".utf8))
            let dockerManifest = try! JSONSerialization.data(withJSONObject: [["Config": "blobs/sha256/\(configHex)", "RepoTags": ["test/app:latest"], "Layers": paths]])
            outer.file("manifest.json", Array(dockerManifest))
        }
        return outer.tar
    }

    /// An OCI image layout directory (with a nested index and an attestation manifest, as
    /// BuildKit writes), layers compressed by `compress`.
    func ociLayout(at dir: URL, compress: ([UInt8]) -> [UInt8] = { $0 }) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("blobs/sha256"), withIntermediateDirectories: true)
        func blob(_ bytes: [UInt8], _ name: String) throws -> [String: Any] {
            try Data(bytes).write(to: dir.appendingPathComponent("blobs/sha256/\(name)"))
            return ["digest": "sha256:\(name)", "size": bytes.count]
        }
        var layerDescs: [[String: Any]] = []
        for (i, layer) in layers.enumerated() { layerDescs.append(try blob(compress(layer), Self.hex(i, "layer"))) }
        let config = try blob(configJSON, Self.hex(99, "config"))
        let manifest = Array(try JSONSerialization.data(withJSONObject: ["schemaVersion": 2, "config": config, "layers": layerDescs]))
        var m = try blob(manifest, Self.hex(98, "manifest"))
        m["platform"] = ["os": "linux", "architecture": "amd64"]
        let attestation = Array(try JSONSerialization.data(withJSONObject: ["schemaVersion": 2, "config": config, "layers": []]))
        var a = try blob(attestation, Self.hex(97, "attest"))
        a["platform"] = ["os": "unknown", "architecture": "unknown"]
        a["annotations"] = ["vnd.docker.reference.type": "attestation-manifest"]
        let inner = Array(try JSONSerialization.data(withJSONObject: ["schemaVersion": 2, "manifests": [a, m]]))
        var i = try blob(inner, Self.hex(96, "index"))
        i["mediaType"] = "application/vnd.oci.image.index.v1+json"
        try Data(try JSONSerialization.data(withJSONObject: ["schemaVersion": 2, "manifests": [i]])).write(to: dir.appendingPathComponent("index.json"))
        try Data("{\"imageLayoutVersion\":\"1.0.0\"}".utf8).write(to: dir.appendingPathComponent("oci-layout"))
    }
}

/// Base layers made of real files: the Debian 12 glibc loader, dpkg's libc6 record, the
/// machine's nsswitch.conf; or the musl loader with an apk record.
enum BaseLayers {
    static let dir = InspectFixtures.directory.appendingPathComponent("rootfs")
    static func real(_ name: String) -> [UInt8] { (try? [UInt8](Data(contentsOf: dir.appendingPathComponent(name)))) ?? [] }
    static func gz(_ name: String) -> [UInt8] { InspectFixtures.gunzip(dir.appendingPathComponent(name + ".gz").path) }

    /// A Debian layout: /lib64 -> usr/lib64 link chain to the multiarch loader, libc.so.6,
    /// dpkg status with libc6 of `release`, zoneinfo, CA bundle when asked.
    static func debian(release: String = "bookworm", zoneinfo: Bool = true, caBundle: Bool = false) -> LayerBuilder {
        var l = LayerBuilder()
        l.dir("usr")
        l.dir("usr/lib")
        l.dir("usr/lib/x86_64-linux-gnu")
        l.executable("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", gz("ld-linux-x86-64.so.2"))
        // A stand-in for libc.so.6 (only its presence matters; its version comes from dpkg).
        l.file("usr/lib/x86_64-linux-gnu/libc.so.6", Array("stand-in for glibc's libc.so.6".utf8), mode: 0o644)
        l.symlink("lib", to: "usr/lib")
        l.symlink("lib64", to: "usr/lib64")
        l.dir("usr/lib64")
        l.symlink("usr/lib64/ld-linux-x86-64.so.2", to: "../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
        l.text("var/lib/dpkg/status", String(decoding: real("dpkg-status-libc6-\(release)"), as: UTF8.self))
        l.text("etc/nsswitch.conf", String(decoding: real("nsswitch.conf"), as: UTF8.self))
        l.text("etc/os-release", release == "bookworm" ? "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n" : "PRETTY_NAME=\"Debian GNU/Linux 11 (bullseye)\"\nID=debian\n")
        if zoneinfo { l.file("usr/share/zoneinfo/Europe/Berlin", Array("TZif2".utf8)) }
        if caBundle { l.text("etc/ssl/certs/ca-certificates.crt", "-----BEGIN CERTIFICATE-----\n") }
        return l
    }

    /// An Alpine layout: the real musl loader, the libc.musl link, apk's musl record.
    static func alpine(gcompat: Bool = false) -> LayerBuilder {
        var l = LayerBuilder()
        l.executable("lib/ld-musl-x86_64.so.1", gz("ld-musl-x86_64.so.1"))
        l.symlink("lib/libc.musl-x86_64.so.1", to: "ld-musl-x86_64.so.1")
        l.text("lib/apk/db/installed", "C:Q1abc\nP:musl\nV:1.2.4-r2\nA:x86_64\n\nP:busybox\nV:1.36.1-r5\n\n")
        l.text("etc/os-release", "PRETTY_NAME=\"Alpine Linux v3.19\"\nID=alpine\n")
        l.file("usr/share/zoneinfo/UTC", Array("TZif2".utf8))
        if gcompat {
            l.symlink("lib64/ld-linux-x86-64.so.2", to: "/lib/ld-musl-x86_64.so.1")
            l.symlink("lib/libc.so.6", to: "libc.musl-x86_64.so.1")
        }
        return l
    }
}
