import Foundation
@testable import NetDNSAudit

/// The real Go binaries built by `Scripts/build-inspect-fixtures.sh`, decompressed once into a
/// temporary directory, and what `go version -m` and `readelf` recorded about each.
enum InspectFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/Inspect")

    /// Every fixture binary's name (the `.gz` files).
    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("binaries").path)) ?? []
        return files.filter { $0.hasSuffix(".gz") }.map { String($0.dropLast(3)) }.sorted()
    }()

    /// The decompressed binaries, under one temporary directory for the whole run.
    static let unpacked: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-inspect-\(getpid())-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in names {
            let bytes = gunzip(directory.appendingPathComponent("binaries/\(name).gz").path)
            _ = FileManager.default.createFile(atPath: dir.appendingPathComponent(name).path, contents: Data(bytes),
                                           attributes: [.posixPermissions: 0o755])
        }
        return dir
    }()

    /// The path of the decompressed binary `name`.
    static func path(_ name: String) -> String { unpacked.appendingPathComponent(name).path }

    /// The bytes of the decompressed binary `name`.
    static func bytes(_ name: String) -> [UInt8] {
        (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path(name))))) ?? []
    }

    static func gunzip(_ path: String) -> [UInt8] {
        guard let file = try? FileDescriptorSource(path: path) else { return [] }
        let source = GzipSource(file, path: path)
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = (try? chunk.withUnsafeMutableBytes { try source.read(into: $0) }) ?? 0
            if n == 0 { break }
            out += chunk[0..<n]
        }
        source.close()
        return out
    }

    static func text(_ name: String, _ ext: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent("binaries/\(name).\(ext)"), encoding: .utf8)) ?? ""
    }

    /// `go version -m` as recorded.
    struct GoVersion {
        var goVersion = ""
        var path: String?
        var module: String?
        var moduleVersion: String?
        var deps: [String] = []
        var settings: [(String, String)] = []

        func setting(_ key: String) -> String? { settings.last { $0.0 == key }?.1 }
    }

    static func goVersion(_ name: String) -> GoVersion {
        var result = GoVersion()
        for (i, line) in text(name, "goversion").split(separator: "\n").enumerated() {
            if i == 0 {
                result.goVersion = String(line.split(separator: " ", maxSplits: 1).last ?? "")
                continue
            }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).dropFirst().map(String.init)
            guard let kind = fields.first else { continue }
            switch kind {
            case "path": result.path = fields[1]
            case "mod": result.module = fields[1]; result.moduleVersion = fields[2]
            case "dep": result.deps.append(fields[1])
            case "build":
                let kv = fields[1]
                guard let eq = kv.firstIndex(of: "=") else { continue }
                var value = String(kv[kv.index(after: eq)...])
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                    value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                }
                result.settings.append((String(kv[..<eq]), value))
            default: continue
            }
        }
        return result
    }

    /// `readelf -h -l -d -V` as recorded.
    struct ReadELF {
        var is64 = false
        var bigEndian = false
        var type = ""
        var machine = ""
        var interpreter: String?
        var needed: [String] = []
        var versions: [String] = []
        var pieFlag = false
    }

    static func readelf(_ name: String) -> ReadELF {
        var r = ReadELF()
        for line in text(name, "readelf").split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("Class:") { r.is64 = t.hasSuffix("ELF64") }
            if t.hasPrefix("Data:") { r.bigEndian = t.contains("big endian") }
            if t.hasPrefix("Type:") { r.type = String(t.dropFirst(5).trimmingCharacters(in: .whitespaces).prefix { $0 != " " }) }
            if t.hasPrefix("Machine:") { r.machine = t.dropFirst(8).trimmingCharacters(in: .whitespaces) }
            if t.hasPrefix("[Requesting program interpreter: ") { r.interpreter = String(t.dropFirst(33).dropLast()) }
            if t.contains("(NEEDED)"), let open = t.firstIndex(of: "["), let close = t.lastIndex(of: "]") {
                r.needed.append(String(t[t.index(after: open)..<close]))
            }
            if t.contains("(FLAGS_1)"), t.contains("PIE") { r.pieFlag = true }
            if t.contains("Name: GLIBC_") || t.contains("Name: GLIBC"), let at = t.range(of: "Name: ") {
                r.versions.append(String(t[at.upperBound...].prefix { $0 != " " }))
            }
        }
        return r
    }
}
