import Foundation
import Testing
@testable import NetDNSAudit

/// Damaged and hostile inputs: one clear line naming the file and the problem, exit 2, and
/// every other input still inspected; nothing read from a file reaches the output unescaped.
@Suite struct InspectBadInputTests {
    static func file(_ bytes: [UInt8], _ name: String = "bin") throws -> String {
        let url = try InputTestSupport.temporaryDirectory().appendingPathComponent(name)
        try InputTestSupport.write(bytes, to: url)
        return url.path
    }

    static func error(_ bytes: [UInt8]) throws -> String {
        let path = try file(bytes)
        let report = Inspector().inspect([.path(path), .path(InspectFixtures.path("go127-tiny"))])
        #expect(report.binaries.map(\.facts.goVersion) == ["go1.27.3"]) // the good input is still inspected
        #expect(report.errors.count == 1)
        let line = try #require(report.errors.first)
        #expect(line.hasPrefix(path + ": "))
        return String(line.dropFirst(path.count + 2))
    }

    @Test func notELF() throws {
        #expect(try Self.error(Array("just text\n".utf8)) == "not an ELF binary or an image (no ELF magic, no tar header)")
        #expect(try Self.error([]) == "empty file: not an ELF binary or an image")
        #expect(try Self.error([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 1, 2]) == "xz-compressed: not an ELF binary or an image netdns-audit reads (tar, tar+gzip, tar+zstd)")
    }

    @Test func elfButNotGo() throws {
        #expect(try Self.error(BaseLayers.gz("ld-musl-x86_64.so.1")) == "ELF file but not a Go program (no Go build info or function table)")
    }

    @Test func truncatedBinaries() throws {
        let whole = InspectFixtures.bytes("go127-cgo1-stripped")
        #expect(try Self.error(Array(whole.prefix(65536))) == "truncated ELF file: segment 3 (PT_LOAD at offset 0, 950944 bytes) ends past the file's 65536 bytes")
        #expect(try Self.error(Array(whole.prefix(40))) == "truncated ELF file: the ELF header ends after 40 of 64 bytes")
        #expect(try Self.error(Array(whole.prefix(10))) == "truncated ELF file: the identification ends after 10 bytes")
        let tiny = InspectFixtures.bytes("go127-tiny")
        #expect(try Self.error(Array(tiny.prefix(tiny.count * 9 / 10))).hasPrefix("truncated ELF file: segment"))
    }

    @Test func corruptHeaders() throws {
        var bytes = InspectFixtures.bytes("go127-tiny")
        bytes[4] = 3
        #expect(try Self.error(bytes) == "unsupported ELF file: class 3 (neither 32- nor 64-bit)")
        bytes = InspectFixtures.bytes("go127-tiny")
        bytes[5] = 9
        #expect(try Self.error(bytes) == "unsupported ELF file: byte order 9 (neither little- nor big-endian)")
        bytes = InspectFixtures.bytes("go127-tiny")
        for i in 32..<40 { bytes[i] = 0xFF } // e_phoff
        #expect(try Self.error(bytes) == "corrupt ELF file: header offsets out of range")
        bytes = InspectFixtures.bytes("go127-tiny")
        bytes[32] = 0; bytes[33] = 0; bytes[34] = 0xF0; bytes[35] = 0x7F // e_phoff = 0x7ff00000
        #expect(try Self.error(bytes).hasPrefix("truncated ELF file: program headers at offset 2146435072"))
    }

    /// The interpreter of a dynamic fixture pointed past the end of the file.
    @Test func offsetPastTheEnd() throws {
        var bytes = InspectFixtures.bytes("go127-cgo1-stripped")
        let elf = try ELFFile(bytes.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[...]) })
        _ = elf
        // Program header 1 is PT_INTERP (readelf): p_offset at 64 + 56 + 8.
        let at = 64 + 56 + 8
        for i in 0..<8 { bytes[at + i] = i == 3 ? 0x10 : 0 }
        #expect(try Self.error(bytes) == "truncated ELF file: PT_INTERP at offset 268435456 (28 bytes) ends past the file's \(bytes.count) bytes")
    }

    /// Headers found by chance: magic bytes with fields that do not hold are rejected, and the
    /// real table after them is still found.
    @Test func pclntabMagicByChance() throws {
        var fake = [UInt8](repeating: 0, count: 256)
        fake[0...7] = [0xF1, 0xFF, 0xFF, 0xFF, 0, 0, 1, 8]
        fake[8] = 5 // nfunc, then offsets out of order
        fake[40] = 0xFF
        #expect(fake.withUnsafeBytes { GoFunctionTable.parse($0, bigEndian: false, foundIn: "scan") } == nil)
        let real = InspectFixtures.bytes("go127-tiny")
        let elf = try ELFFile(real.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[...]) })
        let section = try #require(elf.section(named: ".gopclntab"))
        let table = Array(real[section.offset..<(section.offset + section.size)])
        let noise: [UInt8] = [0xF1, 0xFF, 0xFF, 0xFF, 0, 0, 1, 8] + [UInt8](repeating: 0x41, count: 120)
        let region = noise + noise + table
        let found = try #require(region.withUnsafeBytes { GoFunctionTable.scan($0, bigEndian: false) })
        #expect(found.functionCount == (table.withUnsafeBytes { GoFunctionTable.parse($0, bigEndian: false, foundIn: "x") })?.functionCount)
        #expect(found.hasFunction(named: "time.LoadLocation"))
        #expect(!found.hasFunction(named: "time.LoadLocatio"))
        #expect(found.hasFunction(prefix: "runtime."))
    }

    @Test func directoryWalkSkipsOtherFilesAndReportsGoOnes() throws {
        let dir = try InputTestSupport.temporaryDirectory()
        try InputTestSupport.write(Array("#!/bin/sh\necho\n".utf8), to: dir.appendingPathComponent("script.sh"))
        try InputTestSupport.write(BaseLayers.gz("ld-musl-x86_64.so.1"), to: dir.appendingPathComponent("lib/ld-musl-x86_64.so.1"))
        try InputTestSupport.write(InspectFixtures.bytes("go127-tiny"), to: dir.appendingPathComponent("bin/a"))
        try InputTestSupport.write(InspectFixtures.bytes("go119-netgo"), to: dir.appendingPathComponent("bin/sub/b"))
        let report = Inspector().inspect([.path(dir.path)])
        #expect(report.errors == [])
        #expect(report.binaries.map { String($0.facts.path.dropFirst(dir.path.count)) } == ["/bin/a", "/bin/sub/b"])
    }

    @Test func damagedImages() throws {
        var app = LayerBuilder()
        app.executable("app", InspectFixtures.bytes("go127-tiny"))
        var image = ImageBuilder()
        image.layers = [app.tar]
        let whole = image.dockerSave(.dockerSaveLegacy)
        // Cut inside the layer: the manifest (at the end) is never reached.
        let cut = try Self.file(Array(whole.prefix(whole.count / 2)), "cut.tar")
        let report = Inspector().inspect([.path(cut), .path(InspectFixtures.path("go127-tiny"))])
        #expect(report.binaries.count == 1)
        #expect(report.errors.count == 1)
        #expect(report.errors.first?.hasPrefix("\(cut): truncated tar archive") == true)
        // A layer with an unknown compression.
        var xz = ImageBuilder()
        xz.layers = [[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00] + [UInt8](repeating: 7, count: 600)]
        let xzPath = try Self.file(xz.dockerSave(.dockerSaveOCI), "xz.tar")
        let xzReport = Inspector().inspect([.path(xzPath)])
        #expect(xzReport.errors == ["\(xzPath): layer blobs/sha256/\(ImageBuilder.hex(0, "layer")): layer with an unknown compression (xz); netdns-audit reads tar, tar+gzip and tar+zstd"])
        #expect(xzReport.images.first?.findings.map(\.rule) == [.entrypointMissing])
        // A tarball that is no image.
        var plain = LayerBuilder()
        plain.text("notes.txt", "hello")
        let notImage = try Self.file(plain.tar, "plain.tar")
        #expect(Inspector().inspect([.path(notImage)]).errors == ["\(notImage): not a container image: neither manifest.json (docker save) nor index.json (OCI layout) found"])
    }

    @Test func symlinkLoops() throws {
        var base = LayerBuilder()
        base.symlink("lib64", to: "lib64b")
        base.symlink("lib64b", to: "/lib64")
        base.symlink("app", to: "app2")
        base.symlink("app2", to: "app")
        base.executable("real", InspectFixtures.bytes("go127-cgo1-stripped"))
        var image = ImageBuilder()
        image.layers = [base.tar]
        let path = try Self.file(image.dockerSave(.dockerSaveLegacy), "loop.tar")
        let report = Inspector().inspect([.path(path)])
        let findings = try #require(report.images.first?.findings)
        #expect(findings.map(\.rule) == [.entrypointMissing, .loaderMissing, .tzdataMissing])
        #expect(findings[0].message.contains("symbolic link loop"))
        #expect(findings[1].message.contains("symbolic link loop"))
    }

    /// A module path with an escape sequence in the build info, a file name with one.
    @Test func hostileBytesAreEscaped() throws {
        var bytes = InspectFixtures.bytes("go127-tiny")
        let needle = Array("example.com/tinyapp".utf8)
        var patched = 0
        var i = 0
        while i + needle.count <= bytes.count {
            if Array(bytes[i..<(i + needle.count)]) == needle {
                bytes.replaceSubrange((i + 12)..<(i + 19), with: Array("\u{1B}[2J\u{7}\u{9B}".utf8))
                patched += 1
            }
            i += 1
        }
        #expect(patched >= 2)
        let path = try Self.file(bytes, "evil\u{1B}]0;title\u{7}")
        let facts = try #require(Inspector().inspect([.path(path)]).binaries.first?.facts)
        #expect(facts.module == "example.com/\u{1B}[2J\u{7}\u{9B}")
        let out = try BuiltTool.run(["inspect", path])
        let text = String(decoding: out.stdout, as: UTF8.self)
        #expect(out.status == 0)
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
        #expect(text.contains("evil\\x1b]0;title\\x07"))
        let json = try BuiltTool.run(["inspect", "--format", "json", path])
        #expect(!json.stdout.contains(0x1B) && !json.stdout.contains(0x07))
        let decoded = try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any]
        let binaries = decoded?["binaries"] as? [[String: Any]]
        #expect(binaries?.first?["module"] as? String == "example.com/\u{1B}[2J\u{7}\u{9B}")
        let md = try BuiltTool.run(["inspect", "--format", "markdown", path])
        #expect(!md.stdout.contains(0x1B))
    }

    @Test func exitCodes() throws {
        let good = try BuiltTool.run(["inspect", InspectFixtures.path("go127-tiny")])
        #expect(good.status == 0)
        #expect(good.stderr == "")
        let bad = try BuiltTool.run(["inspect", "/nonexistent/x", InspectFixtures.path("go127-tiny")])
        #expect(bad.status == 2)
        #expect(bad.stderr == "netdns-audit: /nonexistent/x: cannot open: No such file or directory\n")
        #expect(String(decoding: bad.stdout, as: UTF8.self).contains("go1.27.3"))
        let usage = try BuiltTool.run(["inspect"])
        #expect(usage.status == 2)
        let format = try BuiltTool.run(["inspect", "--format", "xml", InspectFixtures.path("go127-tiny")])
        #expect(format.status == 2)
    }
}
