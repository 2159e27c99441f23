/// The build information the Go linker embeds in every binary (what `go version -m` prints):
/// the Go version and the module information, found through the `\xff Go buildinf:` blob.
///
/// Layout (Go's `debug/buildinfo`): the blob sits at the start of section `.go.buildinfo`, or
/// else in the first writable, non-executable `PT_LOAD`, at a 16-byte aligned offset. Byte 14
/// is the pointer size, byte 15 the flags (bit 0 big-endian, bit 1 inline strings). Go 1.18+:
/// two uvarint-prefixed strings at offset 32. Before: two pointers at offset 16 to Go string
/// headers {data, length}.
public struct GoBuildInfo: Sendable, Equatable {
    /// `go1.27.3`, possibly with a suffix (`go1.23.1 X:nocoverageredesign`).
    public var goVersion: String
    /// The main package's import path (`path` line).
    public var path: String?
    /// The main module (`mod` line): path and version.
    public var mainModule: Module?
    /// Dependencies (`dep` lines, with `=>` replacements applied).
    public var dependencies: [Module] = []
    /// `build KEY=VALUE` settings, in order.
    public var settings: [(key: String, value: String)] = []

    public struct Module: Sendable, Equatable {
        public var path: String
        public var version: String
        public var sum: String
        /// The `=>` line that replaced it.
        public var replacement: Replacement?

        public struct Replacement: Sendable, Equatable {
            public var path: String
            public var version: String
        }
    }

    public static func == (a: GoBuildInfo, b: GoBuildInfo) -> Bool {
        a.goVersion == b.goVersion && a.path == b.path && a.mainModule == b.mainModule && a.dependencies == b.dependencies
            && a.settings.map(\.key) == b.settings.map(\.key) && a.settings.map(\.value) == b.settings.map(\.value)
    }

    /// The last value of build setting `key`.
    public func setting(_ key: String) -> String? {
        settings.last { $0.key == key }?.value
    }

    /// How far from the start of the data the blob may be (Go reads 64 KiB).
    static let searchBytes = 64 << 10

    public init(goVersion: String, moduleInfo: String) {
        self.goVersion = goVersion
        parse(moduleInfo)
    }

    /// Finds and decodes the build info of `elf`; nil when it has none (not a Go binary, or Go
    /// older than 1.13). A blob that is found but damaged throws.
    public static func read(_ elf: ELFFile) throws(BinaryError) -> GoBuildInfo? {
        var region: UnsafeRawBufferPointer?
        if let section = elf.section(named: ".go.buildinfo") {
            region = elf.data(of: section)
        }
        if region == nil, let ph = elf.programHeaders.first(where: { $0.type == ELFFile.PT_LOAD && $0.isWritable && !$0.isExecutable }) {
            region = elf.data(of: ph).map { UnsafeRawBufferPointer(rebasing: $0.prefix(searchBytes)) }
        }
        guard let region, let start = findMagic(region) else { return nil }
        let blob = UnsafeRawBufferPointer(rebasing: region[start...])
        guard blob.count >= 32 else { throw .truncated("Go build info at the end of its segment") }
        let pointerSize = Int(blob[14])
        let flags = blob[15]
        let version: String
        var moduleInfo: [UInt8]
        if flags & 2 != 0 {
            var at = 32
            guard let v = uvarintBytes(blob, &at), let m = uvarintBytes(blob, &at) else {
                throw .corrupt("Go build info strings run past the end of their segment")
            }
            version = String(decoding: v, as: UTF8.self)
            moduleInfo = m
        } else {
            guard pointerSize == 4 || pointerSize == 8 else { throw .corrupt("Go build info pointer size \(pointerSize)") }
            let r = ByteReader(bytes: blob, bigEndian: flags & 1 != 0)
            guard let versionAddress = r.word(16, size: pointerSize), let moduleAddress = r.word(16 + pointerSize, size: pointerSize),
                  let v = goString(elf, at: versionAddress, pointerSize: pointerSize, bigEndian: flags & 1 != 0),
                  let m = goString(elf, at: moduleAddress, pointerSize: pointerSize, bigEndian: flags & 1 != 0)
            else { throw .corrupt("Go build info points outside the file") }
            version = String(decoding: v, as: UTF8.self)
            moduleInfo = m
        }
        // Module info is framed by 16 sentinel bytes on each side (Go drops it otherwise).
        if moduleInfo.count >= 33, moduleInfo[moduleInfo.count - 17] == 0x0A {
            moduleInfo = Array(moduleInfo[16..<(moduleInfo.count - 16)])
        } else {
            moduleInfo = []
        }
        guard !version.isEmpty else { throw .corrupt("Go build info without a Go version") }
        return GoBuildInfo(goVersion: version, moduleInfo: String(decoding: moduleInfo, as: UTF8.self))
    }

    /// The offset of the magic at a 16-byte aligned position.
    static func findMagic(_ region: UnsafeRawBufferPointer) -> Int? {
        // Search the ASCII part " Go buildinf:" and check the 0xFF before it and the alignment.
        var at = 1
        while at + 31 <= region.count {
            guard let hit = region.firstRange(of: " Go buildinf:", from: at) else { return nil }
            let start = hit - 1
            if start % 16 == 0, region[start] == 0xFF, start + 32 <= region.count { return start }
            at = hit + 1
        }
        return nil
    }

    /// A uvarint length and that many bytes.
    static func uvarintBytes(_ blob: UnsafeRawBufferPointer, _ at: inout Int) -> [UInt8]? {
        var length: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard at < blob.count, shift < 64 else { return nil }
            let byte = blob[at]
            at += 1
            length |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        guard length <= UInt64(blob.count - at) else { return nil }
        let bytes = Array(blob[at..<(at + Int(length))])
        at += Int(length)
        return bytes
    }

    /// A Go string header {data, length} at virtual address `address`.
    static func goString(_ elf: ELFFile, at address: UInt64, pointerSize: Int, bigEndian: Bool) -> [UInt8]? {
        guard let header = elf.bytes(atAddress: address, count: 2 * pointerSize) else { return nil }
        let r = ByteReader(bytes: header, bigEndian: bigEndian)
        guard let data = r.word(0, size: pointerSize), let length = r.word(pointerSize, size: pointerSize),
              length <= UInt64(1 << 24) else { return nil }
        guard let bytes = elf.bytes(atAddress: data, count: Int(length)) else { return length == 0 ? [] : nil }
        return Array(bytes)
    }

    // MARK: Module info

    /// Parses the tab-separated module info lines, as Go's `debug.ParseBuildInfo` does; lines it
    /// would reject are skipped.
    mutating func parse(_ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard let kind = fields.first else { continue }
            switch kind {
            case "path" where fields.count >= 2:
                path = String(fields[1])
            case "mod" where fields.count >= 3:
                mainModule = Module(path: String(fields[1]), version: String(fields[2]), sum: fields.count >= 4 ? String(fields[3]) : "")
            case "dep" where fields.count >= 3:
                dependencies.append(Module(path: String(fields[1]), version: String(fields[2]), sum: fields.count >= 4 ? String(fields[3]) : ""))
            case "=>" where fields.count >= 3:
                let replacement = Module.Replacement(path: String(fields[1]), version: String(fields[2]))
                if !dependencies.isEmpty {
                    dependencies[dependencies.count - 1].replacement = replacement
                } else if mainModule != nil {
                    mainModule?.replacement = replacement
                }
            case "build" where fields.count >= 2:
                let kv = fields[1...].joined(separator: "\t")
                if let setting = Self.buildSetting(Substring(kv)) { settings.append(setting) }
            default:
                continue
            }
        }
    }

    /// `KEY=VALUE`, either side possibly Go-quoted.
    static func buildSetting(_ kv: Substring) -> (key: String, value: String)? {
        guard let first = kv.first, first != "=" else { return nil }
        let key: String
        var rest: Substring
        if first == "\"" || first == "`" {
            guard let (unquoted, used) = GoQuoted.unquotePrefix(kv) else { return nil }
            key = unquoted
            rest = kv.dropFirst(used)
            guard rest.first == "=" else { return nil }
            rest = rest.dropFirst()
        } else {
            guard let equals = kv.firstIndex(of: "=") else { return nil }
            key = String(kv[..<equals])
            rest = kv[kv.index(after: equals)...]
        }
        var value = String(rest)
        if let q = rest.first, q == "\"" || q == "`" {
            guard let (unquoted, used) = GoQuoted.unquotePrefix(rest), used == rest.utf8.count else { return nil }
            value = unquoted
        }
        return (key, value)
    }
}
