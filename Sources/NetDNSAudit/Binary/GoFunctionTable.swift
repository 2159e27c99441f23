import Foundation
import CNetDNSShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The function names of a Go binary, from its pclntab (`runtime.pclntab`), which Go keeps in
/// stripped binaries too: the names decide whether the cgo resolver, crypto/x509 or embedded
/// zone data are compiled in.
///
/// The table is the section `.gopclntab` (or `.data.rel.ro.gopclntab` in PIEs). External linkers
/// may merge it into another section; then the read-only segments are scanned for the header
/// magic (`FFFFFFFB` go1.2-1.15, `FFFFFFFA` go1.16-1.17, `FFFFFFF0` go1.18-1.19, `FFFFFFF1`
/// go1.20+), and every candidate's fields are validated, since the magic also occurs by chance.
public struct GoFunctionTable {
    /// The table's generation, from its magic.
    public enum Version: Sendable, Equatable {
        case go12, go116, go118, go120
    }

    public let version: Version
    /// The number of functions the header declares.
    public let functionCount: Int
    /// Where the header was found: a section name, or `scan` when it has no section.
    public let foundIn: String
    /// Every function name, NUL-terminated, one after another (go1.16+: the funcnametab itself).
    let names: UnsafeRawBufferPointer
    /// Holds names copied out of a go1.2-1.15 table.
    let storage: [UInt8]?

    /// Finds and validates the table in `elf`; nil when there is none.
    public static func read(_ elf: ELFFile) -> GoFunctionTable? {
        for name in [".gopclntab", ".data.rel.ro.gopclntab"] {
            if let section = elf.section(named: name), let data = elf.data(of: section),
               let table = parse(data, bigEndian: elf.isBigEndian, foundIn: name) {
                return table
            }
        }
        // No section of its own: scan the loaded, non-executable segments (and, when there are
        // none, the whole file).
        var regions = elf.programHeaders.filter { $0.type == ELFFile.PT_LOAD && !$0.isExecutable }.compactMap { elf.data(of: $0) }
        if regions.isEmpty { regions = [elf.reader.bytes] }
        for region in regions {
            if let table = scan(region, bigEndian: elf.isBigEndian) { return table }
        }
        // Some linkers put read-only data in the executable segment.
        for ph in elf.programHeaders where ph.type == ELFFile.PT_LOAD && ph.isExecutable {
            if let region = elf.data(of: ph), let table = scan(region, bigEndian: elf.isBigEndian) { return table }
        }
        return nil
    }

    /// Tries every 4-byte aligned occurrence of a magic in `region`.
    static func scan(_ region: UnsafeRawBufferPointer, bigEndian: Bool) -> GoFunctionTable? {
        guard let base = region.baseAddress, region.count >= 16 else { return nil }
        // All four magics share the bytes FF FF FF; in file order they are followed (LE) or
        // preceded (BE) by the distinguishing byte.
        var at = 0
        let needle: [UInt8] = [0xFF, 0xFF, 0xFF]
        while at + 16 <= region.count {
            guard let hit = needle.withUnsafeBytes({ memmem(base + at, region.count - at, $0.baseAddress, 3) }) else { return nil }
            let offset = base.distance(to: UnsafeRawPointer(hit))
            let start = bigEndian ? offset : offset - 1
            if start >= 0, start % 4 == 0,
               let table = parse(UnsafeRawBufferPointer(rebasing: region[start...]), bigEndian: bigEndian, foundIn: "scan") {
                return table
            }
            at = offset + 1
        }
        return nil
    }

    /// Validates the header at the start of `data` and locates the names; nil when any field is
    /// out of range.
    static func parse(_ data: UnsafeRawBufferPointer, bigEndian: Bool, foundIn: String) -> GoFunctionTable? {
        let r = ByteReader(bytes: data, bigEndian: bigEndian)
        guard let magic = r.u32(0), r.u8(4) == 0, r.u8(5) == 0, let quantum = r.u8(6), let ps8 = r.u8(7),
              [1, 2, 4].contains(quantum), ps8 == 4 || ps8 == 8 else { return nil }
        let ps = Int(ps8)
        let version: Version
        switch magic {
        case 0xFFFF_FFFB: version = .go12
        case 0xFFFF_FFFA: version = .go116
        case 0xFFFF_FFF0: version = .go118
        case 0xFFFF_FFF1: version = .go120
        default: return nil
        }
        guard let nfunc = r.int(8, size: ps), nfunc > 0, nfunc < 10_000_000 else { return nil }
        switch version {
        case .go12:
            return parseGo12(r, data, nfunc: nfunc, ps: ps, foundIn: foundIn)
        case .go116, .go118, .go120:
            // Offsets after nfunc and nfiles (go1.18+ has textStart first).
            let first = version == .go116 ? 8 + 2 * ps : 8 + 3 * ps
            var offsets: [Int] = []
            for i in 0..<5 {
                guard let v = r.int(first + i * ps, size: ps) else { return nil }
                offsets.append(v)
            }
            let (funcname, cu, filetab, pctab, pcln) = (offsets[0], offsets[1], offsets[2], offsets[3], offsets[4])
            let headerEnd = first + 5 * ps
            guard headerEnd <= funcname, funcname < cu, cu <= filetab, filetab <= pctab, pctab <= pcln, pcln <= data.count else { return nil }
            // The function table: nfunc+1 pairs {entry, funcoff}; u32 each from go1.18, words before.
            let field = version == .go116 ? ps : 4
            let (tableBytes, o1) = (nfunc + 1).multipliedReportingOverflow(by: 2 * field)
            guard !o1, tableBytes <= data.count - pcln else { return nil }
            guard r.u8(cu - 1) == 0 else { return nil }
            // The first functions' entries ascend and their names lie in funcnametab.
            var previous: UInt64 = 0
            for i in 0..<min(nfunc, 8) {
                guard let entry = r.word(pcln + i * 2 * field, size: field),
                      let funcoff = r.int(pcln + i * 2 * field + field, size: field), entry >= previous,
                      funcoff < data.count - pcln else { return nil }
                previous = entry
                let nameAt = pcln + funcoff + (version == .go116 ? ps : 4)
                guard let nameOff = r.u32(nameAt), Int(nameOff) < cu - funcname,
                      let name = r.cString(funcname + Int(nameOff), limit: cu - funcname - Int(nameOff)), !name.isEmpty else { return nil }
            }
            guard let names = r.slice(funcname, cu - funcname) else { return nil }
            return GoFunctionTable(version: version, functionCount: nfunc, foundIn: foundIn, names: names, storage: nil)
        }
    }

    /// go1.2-1.15: functab at 8+ps of nfunc pairs {pc, funcoff} (words); names at the offset
    /// in each `_func` (after its entry word), relative to the table start.
    static func parseGo12(_ r: ByteReader, _ data: UnsafeRawBufferPointer, nfunc: Int, ps: Int, foundIn: String) -> GoFunctionTable? {
        let table = 8 + ps
        let (size, o) = nfunc.multipliedReportingOverflow(by: 2 * ps)
        guard !o, size <= data.count - table else { return nil }
        var names: [UInt8] = []
        var previous: UInt64 = 0
        for i in 0..<nfunc {
            guard let pc = r.word(table + i * 2 * ps, size: ps), let funcoff = r.int(table + i * 2 * ps + ps, size: ps),
                  pc >= previous, funcoff < data.count, let nameOff = r.u32(funcoff + ps) else { return nil }
            previous = pc
            guard let text = r.cString(Int(nameOff), limit: 1 << 16), !text.isEmpty || i > 0 else { return nil }
            names += text.utf8
            names.append(0)
        }
        return GoFunctionTable(version: .go12, functionCount: nfunc, foundIn: foundIn,
                               names: UnsafeRawBufferPointer(start: nil, count: 0), storage: names)
    }

    // MARK: Queries

    /// Whether a function name starts with `prefix`.
    public func hasFunction(prefix: String) -> Bool {
        firstName(prefix: prefix, exact: false) != nil
    }

    /// Whether a function is named exactly `name`.
    public func hasFunction(named name: String) -> Bool {
        firstName(prefix: name, exact: true) != nil
    }

    /// Every name that starts with `prefix` (at most `limit`).
    public func functions(prefix: String, limit: Int = 1000) -> [String] {
        withNames { names in
            var found: [String] = []
            var at = 0
            while found.count < limit, let start = Self.find(names, prefix, from: at) {
                let end = names.firstIndex(ofByte: 0, from: start) ?? names.count
                found.append(String(decoding: names[start..<end], as: UTF8.self))
                at = end
            }
            return found
        }
    }

    /// The packages (import paths) that call C through cgo: those with `_Cfunc_` / `_C2func_`
    /// functions, e.g. `net`, `os/user`, `github.com/mattn/go-sqlite3`.
    public func cgoPackages() -> [String] {
        withNames { names in
            var packages: Set<String> = []
            for marker in ["._Cfunc_", "._C2func_"] {
                var at = 0
                while let hit = Self.search(names, marker, from: at) {
                    var start = hit
                    while start > 0, names[start - 1] != 0 { start -= 1 }
                    var package = String(decoding: names[start..<hit], as: UTF8.self)
                    // Vendored copies: github.com/docker/cli/vendor/github.com/miekg/pkcs11.
                    if let vendor = package.range(of: "/vendor/", options: .backwards) { package = String(package[vendor.upperBound...]) }
                    // Methods and closures: keep the import path only.
                    if !package.isEmpty, !package.contains("("), package != "runtime", package != "runtime/cgo" { packages.insert(package) }
                    at = hit + marker.utf8.count
                }
            }
            return packages.sorted()
        }
    }

    func withNames<T>(_ body: (UnsafeRawBufferPointer) -> T) -> T {
        if let storage { return storage.withUnsafeBytes(body) }
        return body(names)
    }

    func firstName(prefix: String, exact: Bool) -> Int? {
        withNames { names in
            var at = 0
            while let start = Self.find(names, prefix, from: at) {
                let end = start + prefix.utf8.count
                if !exact || end == names.count || names[end] == 0 { return start }
                at = end
            }
            return nil
        }
    }

    /// The start of the next name at or after `from` that begins with `prefix`.
    static func find(_ names: UnsafeRawBufferPointer, _ prefix: String, from: Int) -> Int? {
        var at = from
        while let hit = search(names, prefix, from: at) {
            if hit == 0 || names[hit - 1] == 0 { return hit }
            at = hit + 1
        }
        return nil
    }

    /// The next occurrence of `text` at or after `from`.
    static func search(_ names: UnsafeRawBufferPointer, _ text: String, from: Int) -> Int? {
        guard let base = names.baseAddress, from < names.count else { return nil }
        var needle = text
        return needle.withUTF8 { n -> Int? in
            guard let hit = memmem(base + from, names.count - from, n.baseAddress, n.count) else { return nil }
            return base.distance(to: UnsafeRawPointer(hit))
        }
    }
}
