/// An ELF file's headers, read from memory: the identification, the program headers, the
/// section headers (when present and sane) and, for dynamically linked files, the dynamic table.
///
/// Both classes (32- and 64-bit) and both byte orders are read. Every offset is checked against
/// the file size; a header that points past the end throws ``BinaryError``, a damaged optional
/// part (section headers, version needs) is left empty.
public struct ELFFile {
    /// `ET_REL`, `ET_EXEC`, `ET_DYN`, `ET_CORE`.
    public enum FileType: Sendable, Equatable {
        case relocatable, executable, shared, core, other(UInt16)
    }

    public struct ProgramHeader: Sendable, Equatable {
        public var type: UInt32
        public var flags: UInt32
        public var offset: Int
        public var address: UInt64
        public var fileSize: Int
        public var memorySize: UInt64
        public var isWritable: Bool { flags & 2 != 0 }
        public var isExecutable: Bool { flags & 1 != 0 }
    }

    public struct Section: Sendable, Equatable {
        public var name: String
        public var type: UInt32
        public var flags: UInt64
        public var address: UInt64
        public var offset: Int
        public var size: Int
        /// `SHT_NOBITS` (.bss): occupies no file bytes.
        public var hasNoBits: Bool { type == 8 }
    }

    public static let PT_LOAD: UInt32 = 1
    public static let PT_DYNAMIC: UInt32 = 2
    public static let PT_INTERP: UInt32 = 3

    let reader: ByteReader
    /// 64-bit (`ELFCLASS64`) or 32-bit.
    public let is64Bit: Bool
    public var isBigEndian: Bool { reader.bigEndian }
    public let type: FileType
    /// `e_machine` (62 x86-64, 183 AArch64, 3 i386, 40 ARM, 21 PPC64, 22 s390, 243 RISC-V).
    public let machine: UInt16
    public let programHeaders: [ProgramHeader]
    public let sections: [Section]
    var wordSize: Int { is64Bit ? 8 : 4 }

    /// Parses the headers of `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer) throws(BinaryError) {
        guard bytes.count >= 4, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46 else { throw .notELF }
        guard bytes.count >= 16 else { throw .truncated("the identification ends after \(bytes.count) bytes") }
        switch bytes[4] {
        case 1: is64Bit = false
        case 2: is64Bit = true
        default: throw .unsupported("class \(bytes[4]) (neither 32- nor 64-bit)")
        }
        switch bytes[5] {
        case 1: reader = ByteReader(bytes: bytes, bigEndian: false)
        case 2: reader = ByteReader(bytes: bytes, bigEndian: true)
        default: throw .unsupported("byte order \(bytes[5]) (neither little- nor big-endian)")
        }
        let headerSize = is64Bit ? 64 : 52
        guard bytes.count >= headerSize else { throw .truncated("the ELF header ends after \(bytes.count) of \(headerSize) bytes") }
        let r = reader
        let w = is64Bit ? 8 : 4
        // e_type, e_machine at 16 and 18; e_phoff at 28/32, e_shoff at 32/40.
        let rawType = r.u16(16) ?? 0
        switch rawType {
        case 1: type = .relocatable
        case 2: type = .executable
        case 3: type = .shared
        case 4: type = .core
        default: type = .other(rawType)
        }
        machine = r.u16(18) ?? 0
        let phoffAt = is64Bit ? 32 : 28
        let shoffAt = is64Bit ? 40 : 32
        let sizesAt = is64Bit ? 54 : 42
        guard let phoff = r.int(phoffAt, size: w), let shoff = r.int(shoffAt, size: w),
              let phentsize = r.u16(sizesAt), let phnum = r.u16(sizesAt + 2),
              let shentsize = r.u16(sizesAt + 4), let shnum = r.u16(sizesAt + 6), let shstrndx = r.u16(sizesAt + 8)
        else { throw .corrupt("header offsets out of range") }

        // Program headers.
        var phs: [ProgramHeader] = []
        if phnum > 0 {
            let minimum = is64Bit ? 56 : 32
            guard Int(phentsize) >= minimum else { throw .corrupt("program header entry size \(phentsize)") }
            let (end, overflow) = phoff.addingReportingOverflow(Int(phentsize) * Int(phnum))
            guard !overflow, end <= bytes.count else {
                throw .truncated("program headers at offset \(phoff) (\(phnum) of \(phentsize) bytes) end past the file's \(bytes.count) bytes")
            }
            phs.reserveCapacity(Int(phnum))
            for i in 0..<Int(phnum) {
                let at = phoff + i * Int(phentsize)
                let ph: ProgramHeader?
                if is64Bit {
                    ph = Self.programHeader64(r, at)
                } else {
                    ph = Self.programHeader32(r, at)
                }
                guard let ph else { throw .corrupt("program header \(i) out of range") }
                phs.append(ph)
            }
        }
        programHeaders = phs

        // Section headers: optional (a stripped-by-sstrip file has none); left empty when damaged.
        var secs: [Section] = []
        let shMinimum = is64Bit ? 64 : 40
        if shnum > 0, shoff > 0, Int(shentsize) >= shMinimum, Int(shstrndx) < Int(shnum) {
            let (end, overflow) = shoff.addingReportingOverflow(Int(shentsize) * Int(shnum))
            if !overflow, end <= bytes.count {
                var raw: [(nameOffset: Int, Section)] = []
                raw.reserveCapacity(Int(shnum))
                for i in 0..<Int(shnum) {
                    let at = shoff + i * Int(shentsize)
                    guard let s = is64Bit ? Self.section64(r, at) : Self.section32(r, at) else { raw = []; break }
                    raw.append(s)
                }
                if raw.count == Int(shnum) {
                    let names = raw[Int(shstrndx)].1
                    for (nameOffset, var section) in raw {
                        if !names.hasNoBits, nameOffset < names.size, names.offset <= bytes.count - names.size {
                            section.name = r.cString(names.offset + nameOffset, limit: names.size - nameOffset) ?? ""
                        }
                        secs.append(section)
                    }
                }
            }
        }
        sections = secs
    }

    static func programHeader64(_ r: ByteReader, _ at: Int) -> ProgramHeader? {
        guard let type = r.u32(at), let flags = r.u32(at + 4), let offset = r.int(at + 8, size: 8),
              let vaddr = r.u64(at + 16), let filesz = r.int(at + 32, size: 8), let memsz = r.u64(at + 40) else { return nil }
        return ProgramHeader(type: type, flags: flags, offset: offset, address: vaddr, fileSize: filesz, memorySize: memsz)
    }

    static func programHeader32(_ r: ByteReader, _ at: Int) -> ProgramHeader? {
        guard let type = r.u32(at), let offset = r.u32(at + 4), let vaddr = r.u32(at + 8),
              let filesz = r.u32(at + 16), let memsz = r.u32(at + 20), let flags = r.u32(at + 24) else { return nil }
        return ProgramHeader(type: type, flags: flags, offset: Int(offset), address: UInt64(vaddr), fileSize: Int(filesz), memorySize: UInt64(memsz))
    }

    static func section64(_ r: ByteReader, _ at: Int) -> (Int, Section)? {
        guard let name = r.u32(at), let type = r.u32(at + 4), let flags = r.u64(at + 8), let addr = r.u64(at + 16),
              let offset = r.int(at + 24, size: 8), let size = r.int(at + 32, size: 8) else { return nil }
        return (Int(name), Section(name: "", type: type, flags: flags, address: addr, offset: offset, size: size))
    }

    static func section32(_ r: ByteReader, _ at: Int) -> (Int, Section)? {
        guard let name = r.u32(at), let type = r.u32(at + 4), let flags = r.u32(at + 8), let addr = r.u32(at + 12),
              let offset = r.u32(at + 16), let size = r.u32(at + 20) else { return nil }
        return (Int(name), Section(name: "", type: type, flags: UInt64(flags), address: UInt64(addr), offset: Int(offset), size: Int(size)))
    }

    // MARK: Lookups

    /// The first section of that name.
    public func section(named name: String) -> Section? {
        sections.first { $0.name == name }
    }

    /// The file bytes of a section, or nil when it has none or they lie past the end.
    public func data(of section: Section) -> UnsafeRawBufferPointer? {
        guard !section.hasNoBits else { return nil }
        return reader.slice(section.offset, section.size)
    }

    /// The file offset of virtual address `address`, through the `PT_LOAD` that maps it,
    /// with the number of file bytes that follow it in that segment.
    public func fileOffset(ofAddress address: UInt64) -> (offset: Int, available: Int)? {
        for ph in programHeaders where ph.type == Self.PT_LOAD {
            guard address >= ph.address else { continue }
            let delta = address - ph.address
            guard delta < UInt64(ph.fileSize) else { continue }
            let (offset, overflow) = ph.offset.addingReportingOverflow(Int(delta))
            guard !overflow, offset < reader.count else { return nil }
            return (offset, min(ph.fileSize - Int(delta), reader.count - offset))
        }
        return nil
    }

    /// `length` bytes at virtual address `address`, when one segment holds them all in the file.
    public func bytes(atAddress address: UInt64, count length: Int) -> UnsafeRawBufferPointer? {
        guard let (offset, available) = fileOffset(ofAddress: address), length <= available else { return nil }
        return reader.slice(offset, length)
    }

    /// The file bytes of a program header, or nil when they lie past the end.
    public func data(of header: ProgramHeader) -> UnsafeRawBufferPointer? {
        reader.slice(header.offset, header.fileSize)
    }

    /// The loader named by `PT_INTERP`.
    public func interpreter() throws(BinaryError) -> String? {
        guard let ph = programHeaders.first(where: { $0.type == Self.PT_INTERP }) else { return nil }
        guard let data = data(of: ph) else {
            throw .truncated("PT_INTERP at offset \(ph.offset) (\(ph.fileSize) bytes) ends past the file's \(reader.count) bytes")
        }
        let text = data.prefix { $0 != 0 }
        return String(decoding: text, as: UTF8.self)
    }
}
