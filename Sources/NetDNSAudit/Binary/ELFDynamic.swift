/// What the dynamic table of an ELF file says: the libraries it needs, its flags, and the
/// symbol versions it needs from them (`GLIBC_2.34`, ...).
public struct ELFDynamic: Sendable, Equatable {
    /// `DT_NEEDED` sonames, in file order.
    public var needed: [String] = []
    /// `DT_FLAGS_1`.
    public var flags1: UInt64 = 0
    /// Version names needed, per library file (`libc.so.6` -> `GLIBC_2.2.5`, `GLIBC_2.34`).
    public var versionNeeds: [(file: String, versions: [String])] = []
    /// Whether the file has a dynamic table at all.
    public var present = false

    public static let DF_1_PIE: UInt64 = 0x0800_0000

    public static func == (a: ELFDynamic, b: ELFDynamic) -> Bool {
        a.needed == b.needed && a.flags1 == b.flags1 && a.present == b.present
            && a.versionNeeds.map(\.file) == b.versionNeeds.map(\.file) && a.versionNeeds.map(\.versions) == b.versionNeeds.map(\.versions)
    }

    public init() {}

    /// Reads the dynamic table of `elf` (through `PT_DYNAMIC`). A table that points past the end
    /// of the file throws; version needs that cannot be read are left out.
    public init(_ elf: ELFFile) throws(BinaryError) {
        guard let ph = elf.programHeaders.first(where: { $0.type == ELFFile.PT_DYNAMIC }) else { return }
        guard let table = elf.data(of: ph) else {
            throw .truncated("PT_DYNAMIC at offset \(ph.offset) (\(ph.fileSize) bytes) ends past the file's \(elf.reader.count) bytes")
        }
        present = true
        let r = ByteReader(bytes: table, bigEndian: elf.isBigEndian)
        let w = elf.wordSize
        var neededOffsets: [UInt64] = []
        var strtab: UInt64?
        var strsz: UInt64?
        var verneed: UInt64?
        var verneedNum: UInt64?
        var at = 0
        while at + 2 * w <= table.count {
            guard let tag = r.word(at, size: w), let value = r.word(at + w, size: w) else { break }
            at += 2 * w
            switch tag {
            case 0: at = table.count // DT_NULL
            case 1: neededOffsets.append(value)
            case 5: strtab = value
            case 10: strsz = value
            case 0x6fff_fffb: flags1 = value
            case 0x6fff_fffe: verneed = value
            case 0x6fff_ffff: verneedNum = value
            default: break
            }
        }
        // The string table: the .dynstr section when there is one, else DT_STRTAB through PT_LOAD.
        var strings: UnsafeRawBufferPointer?
        if let section = elf.section(named: ".dynstr") {
            strings = elf.data(of: section)
        }
        if strings == nil, let strtab, let (offset, available) = elf.fileOffset(ofAddress: strtab) {
            let size = strsz.map { Int(clamping: $0) } ?? available
            strings = elf.reader.slice(offset, min(size, available))
        }
        guard let strings else {
            if !neededOffsets.isEmpty { throw .corrupt("DT_NEEDED entries without a readable string table") }
            return
        }
        let s = ByteReader(bytes: strings, bigEndian: false)
        for offset in neededOffsets {
            guard offset < UInt64(strings.count), let name = s.cString(Int(offset)) else {
                throw .corrupt("DT_NEEDED string offset \(offset) outside the \(strings.count)-byte string table")
            }
            needed.append(name)
        }
        // Version needs: .gnu.version_r, else DT_VERNEED.
        var needs: UnsafeRawBufferPointer?
        var count = verneedNum.map { Int(clamping: $0) } ?? Int.max
        if let section = elf.sections.first(where: { $0.type == 0x6fff_fffe }) {
            needs = elf.data(of: section)
        } else if let verneed, let (offset, available) = elf.fileOffset(ofAddress: verneed) {
            needs = elf.reader.slice(offset, available)
        }
        if let needs {
            count = min(count, 4096)
            versionNeeds = Self.versionNeeds(ByteReader(bytes: needs, bigEndian: elf.isBigEndian), count: count, strings: s)
        }
    }

    /// Verneed {u16 version, u16 cnt, u32 file, u32 aux, u32 next}, Vernaux {u32 hash, u16 flags,
    /// u16 other, u32 name, u32 next}; offsets relative to the entry. Stops at the first entry
    /// out of range.
    static func versionNeeds(_ r: ByteReader, count: Int, strings: ByteReader) -> [(file: String, versions: [String])] {
        var result: [(file: String, versions: [String])] = []
        var at = 0
        var seen = 0
        while seen < count {
            guard let auxCount = r.u16(at + 2), let file = r.u32(at + 4), let aux = r.u32(at + 8), let next = r.u32(at + 12),
                  let fileName = strings.cString(Int(file)) else { break }
            var versions: [String] = []
            var auxAt = at + Int(aux)
            for _ in 0..<min(Int(auxCount), 4096) {
                guard let name = r.u32(auxAt + 8), let auxNext = r.u32(auxAt + 12), let version = strings.cString(Int(name)) else { break }
                versions.append(version)
                if auxNext == 0 { break }
                auxAt += Int(auxNext)
            }
            result.append((fileName, versions))
            seen += 1
            if next == 0 { break }
            at += Int(next)
        }
        return result
    }

    /// The highest `GLIBC_x.y[.z]` version needed: the oldest glibc the file runs on.
    public var highestGlibcVersion: String? {
        var best: (String, [Int])? = nil
        for need in versionNeeds {
            for version in need.versions where version.hasPrefix("GLIBC_") {
                guard let numbers = GlibcVersion.parse(version.dropFirst(6)) else { continue }
                if best == nil || GlibcVersion.less(best!.1, numbers) { best = (String(version.dropFirst(6)), numbers) }
            }
        }
        return best?.0
    }
}

/// Dotted version numbers (`2.34`, `2.2.5`), compared numerically.
public enum GlibcVersion {
    /// The numbers of `2.34`, or nil when it is not dotted digits.
    public static func parse(_ text: Substring) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.count <= 4 else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 6, let n = Int(part) else { return nil }
            numbers.append(n)
        }
        return numbers
    }

    public static func less(_ a: [Int], _ b: [Int]) -> Bool {
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            if x != y { return x < y }
        }
        return false
    }

    /// Whether version `a` is older than `b` (both dotted text); false when either is not a version.
    public static func isOlder(_ a: String, than b: String) -> Bool {
        guard let x = parse(Substring(a)), let y = parse(Substring(b)) else { return false }
        return less(x, y)
    }
}
