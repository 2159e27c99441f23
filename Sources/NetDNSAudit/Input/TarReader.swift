#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a tar archive (ustar, GNU, pax) sequentially from a stream: one member after another,
/// never seeking, so a `.tar.gz` is decompressed once and standard input works.
///
/// Regular files are returned as members; directories, links and devices are passed over.
/// Long names come from GNU `L` entries and pax `path=` records (pax `size=` is honoured too).
/// A bad header checksum or a stream that ends inside a header or a member is an
/// ``InputError/corrupt(path:reason:)`` naming the archive; reading stops there.
public final class TarReader {
    /// One regular file of the archive.
    public struct Member: Sendable, Equatable {
        /// The member's path inside the archive, without a leading `./` or `/`.
        public var path: String
        /// Its size in bytes.
        public var size: Int
    }

    /// Any entry of the archive (``nextEntry()``): files, directories and links, with their mode.
    public struct Entry: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            case regular, directory, symlink, hardlink, other
        }
        /// The path inside the archive, without a leading `./` or `/` (and without a trailing `/`).
        public var path: String
        /// Data bytes (regular files; 0 for the others).
        public var size: Int
        public var kind: Kind
        /// The permission bits (`0o755`).
        public var mode: Int
        /// A link's target, as stored (symbolic: relative or absolute; hard: an archive path).
        public var linkTarget: String
    }

    /// The archive's name, for errors and member paths.
    public let archiveName: String
    var upstream: any ByteSource
    /// Bytes of the archive consumed so far.
    public private(set) var offset = 0
    /// Data bytes of the current member not read yet.
    var memberRemaining = 0
    /// Padding after the current member's data, up to the next 512-byte boundary.
    var memberPadding = 0
    var currentPath = ""
    var ended = false
    /// The error that ended the archive (truncation, bad checksum, upstream read error).
    public private(set) var failure: InputError?
    /// Regular members returned so far.
    public private(set) var membersRead = 0

    /// Limits for the metadata entries that are held in memory.
    static let maxLongNameBytes = 64 << 10
    static let maxPaxBytes = 1 << 20
    /// Reused for headers, metadata and skipped data.
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)

    /// Reads the archive from `upstream`, which the reader owns (see ``close()``).
    public init(_ upstream: any ByteSource, archiveName: String) {
        self.upstream = upstream
        self.archiveName = archiveName
    }

    deinit { scratch.deallocate() }

    /// Closes the underlying stream.
    public func close() { upstream.close() }

    /// Skips what is left of the current member and returns the next regular file,
    /// or `nil` at the end of the archive.
    public func nextMember() throws(InputError) -> Member? {
        try next(regularOnly: true).map { Member(path: $0.path, size: $0.size) }
    }

    /// Skips what is left of the current entry and returns the next one of any kind (regular
    /// files, directories, symbolic and hard links, devices), or `nil` at the end of the archive.
    /// Only a regular file has data to read with ``readMember(into:)``.
    public func nextEntry() throws(InputError) -> Entry? {
        try next(regularOnly: false)
    }

    func next(regularOnly: Bool) throws(InputError) -> Entry? {
        guard !ended else {
            if let failure { throw failure }
            return nil
        }
        do {
            return try readNextEntry(regularOnly: regularOnly)
        } catch {
            ended = true
            if failure == nil { failure = error }
            throw error
        }
    }

    /// Reads data of the current member; returns 0 at its end. Truncation throws.
    public func readMember(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if let failure { throw failure }
        guard memberRemaining > 0, buffer.count > 0 else { return 0 }
        let want = min(buffer.count, memberRemaining)
        let n: Int
        do {
            n = try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
        } catch {
            ended = true
            failure = error
            throw error
        }
        if n == 0 {
            let error = InputError.corrupt(path: archiveName, reason: "truncated tar archive: member '\(currentPath)' ends \(memberRemaining) bytes early")
            ended = true
            failure = error
            throw error
        }
        memberRemaining -= n
        offset += n
        return n
    }

    // MARK: Headers

    func readNextEntry(regularOnly: Bool) throws(InputError) -> Entry? {
        try skip(memberRemaining + memberPadding)
        memberRemaining = 0
        memberPadding = 0
        var longName: String? = nil
        var longLink: String? = nil
        var paxPath: String? = nil
        var paxLink: String? = nil
        var paxSize: Int? = nil
        while true {
            let headerOffset = offset
            let got = try readFully(512)
            let header = Array(scratch[0..<got])
            if got == 0 {
                // End of stream without the two zero blocks: tolerated, as GNU tar does.
                ended = true
                return nil
            }
            guard got == 512 else {
                throw .corrupt(path: archiveName, reason: "truncated tar archive: header at offset \(headerOffset) has only \(got) of 512 bytes")
            }
            if header.allSatisfy({ $0 == 0 }) {
                ended = true
                return nil
            }
            guard Self.checksumMatches(header) else {
                throw .corrupt(path: archiveName, reason: "corrupt tar archive: bad header checksum at offset \(headerOffset) (after \(membersRead) member(s))")
            }
            guard let headerSize = Self.number(header, 124, 12) else {
                throw .corrupt(path: archiveName, reason: "corrupt tar archive: bad size field at offset \(headerOffset)")
            }
            let type = header[156]
            let size = (type == 0x30 || type == 0 || type == 0x37) ? (paxSize ?? headerSize) : headerSize
            switch type {
            case 0x4C: // GNU long name: the data is the next entry's name
                guard size <= Self.maxLongNameBytes else {
                    throw .corrupt(path: archiveName, reason: "corrupt tar archive: GNU long name of \(size) bytes at offset \(headerOffset)")
                }
                longName = Self.cString(try readData(size))
            case 0x4B: // GNU long link name: the next entry's link target
                guard size <= Self.maxLongNameBytes else {
                    throw .corrupt(path: archiveName, reason: "corrupt tar archive: GNU long link name of \(size) bytes at offset \(headerOffset)")
                }
                longLink = Self.cString(try readData(size))
            case 0x78: // pax extended header for the next entry
                guard size <= Self.maxPaxBytes else {
                    throw .corrupt(path: archiveName, reason: "corrupt tar archive: pax header of \(size) bytes at offset \(headerOffset)")
                }
                let records = Self.paxRecords(try readData(size))
                if let path = records["path"] { paxPath = path }
                if let link = records["linkpath"] { paxLink = link }
                if let text = records["size"], let value = Int(text), value >= 0 { paxSize = value }
            case 0x30, 0, 0x37: // regular file ('0', old NUL, contiguous '7')
                let name = paxPath ?? longName ?? Self.headerName(header)
                memberRemaining = size
                memberPadding = Self.padding(size)
                currentPath = Self.cleaned(name)
                membersRead += 1
                return Entry(path: currentPath, size: size, kind: .regular, mode: Self.number(header, 100, 8) ?? 0, linkTarget: "")
            case 0x31...0x36 where !regularOnly: // hard link, symlink, devices, directory, FIFO
                let name = paxPath ?? longName ?? Self.headerName(header)
                let kind: Entry.Kind
                switch type {
                case 0x31: kind = .hardlink
                case 0x32: kind = .symlink
                case 0x35: kind = .directory
                default: kind = .other
                }
                let link = paxLink ?? longLink ?? Self.cString(header[157..<257])
                // Links and directories carry no data; skip any the header claims anyway.
                try skip(headerSize + Self.padding(headerSize))
                var path = Self.cleaned(name)
                while path.hasSuffix("/") { path.removeLast() }
                currentPath = path
                return Entry(path: path, size: 0, kind: kind, mode: Self.number(header, 100, 8) ?? 0,
                             linkTarget: kind == .hardlink ? Self.cleaned(link) : link)
            default: // directories, links, devices, global pax headers, volume labels...
                try skip(size + Self.padding(size))
                longName = nil
                longLink = nil
                paxPath = nil
                paxLink = nil
                paxSize = nil
            }
        }
    }

    /// Reads `size` data bytes of a metadata entry and skips its padding.
    func readData(_ size: Int) throws(InputError) -> [UInt8] {
        var data: [UInt8] = []
        data.reserveCapacity(size)
        while data.count < size {
            let got = try readFully(min(size - data.count, scratch.count))
            data += scratch[0..<got]
            guard got > 0 else {
                throw .corrupt(path: archiveName, reason: "truncated tar archive: entry data ends at offset \(offset)")
            }
        }
        try skip(Self.padding(size))
        return data
    }

    /// Reads `count` bytes (at most the scratch size) into the scratch buffer unless the
    /// stream ends; returns how many bytes were read.
    func readFully(_ count: Int) throws(InputError) -> Int {
        var filled = 0
        while filled < count {
            let n = try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[filled..<count]))
            if n == 0 { break }
            filled += n
        }
        offset += filled
        return filled
    }

    /// Discards `count` bytes; the stream ending first is a truncation.
    func skip(_ count: Int) throws(InputError) {
        var left = count
        while left > 0 {
            let n = try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<min(left, scratch.count)]))
            if n == 0 {
                throw .corrupt(path: archiveName, reason: "truncated tar archive: ends \(left) bytes before the end of an entry")
            }
            left -= n
            offset += n
        }
    }

    // MARK: Fields

    static func padding(_ size: Int) -> Int { (512 - size % 512) % 512 }

    /// The header checksum: the sum of all bytes with the checksum field read as spaces.
    /// Both the unsigned sum (POSIX) and the signed one (some old tars) are accepted.
    static func checksumMatches(_ header: [UInt8]) -> Bool {
        guard let stored = number(header, 148, 8) else { return false }
        var unsigned = 0
        var signed = 0
        for i in 0..<512 {
            let byte = (148..<156).contains(i) ? 0x20 : header[i]
            unsigned += Int(byte)
            signed += Int(Int8(bitPattern: byte))
        }
        return stored == unsigned || stored == signed
    }

    /// An octal field (NUL- or space-terminated), or GNU base-256 when the high bit is set.
    static func number(_ header: [UInt8], _ start: Int, _ length: Int) -> Int? {
        let field = header[start..<(start + length)]
        if let first = field.first, first & 0x80 != 0 {
            var value = Int(first & 0x3F)
            for byte in field.dropFirst() {
                guard value < Int.max >> 9 else { return nil }
                value = value << 8 | Int(byte)
            }
            return first & 0x40 != 0 ? nil : value
        }
        var value = 0
        var digits = 0
        for byte in field {
            switch byte {
            case 0x30...0x37:
                value = value * 8 + Int(byte - 0x30)
                digits += 1
            case 0x20 where digits == 0:
                continue
            case 0, 0x20:
                return value
            default:
                return nil
            }
        }
        return value
    }

    /// `prefix/name` of a ustar header, or the name alone.
    static func headerName(_ header: [UInt8]) -> String {
        let name = cString(header[0..<100])
        let isUstar = header[257..<262].elementsEqual("ustar".utf8)
        // GNU headers ("ustar  ") use the prefix area for other fields.
        guard isUstar, header[262] == 0, header[345] != 0 else { return name }
        return cString(header[345..<500]) + "/" + name
    }

    static func cString<C: Collection<UInt8>>(_ bytes: C) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// pax records: `LENGTH KEY=VALUE\n`.
    static func paxRecords(_ data: [UInt8]) -> [String: String] {
        var records: [String: String] = [:]
        var at = 0
        while at < data.count {
            guard let space = data[at...].firstIndex(of: 0x20),
                  let length = Int(String(decoding: data[at..<space], as: UTF8.self)),
                  length > space - at, at + length <= data.count else { break }
            let record = data[(space + 1)..<(at + length)]
            if let equals = record.firstIndex(of: 0x3D) {
                let key = String(decoding: record[record.startIndex..<equals], as: UTF8.self)
                var value = record[(equals + 1)...]
                if value.last == 0x0A { value = value.dropLast() }
                records[key] = String(decoding: value, as: UTF8.self)
            }
            at += length
        }
        return records
    }

    /// The path without leading `./` and `/`.
    static func cleaned(_ path: String) -> String {
        var p = Substring(path)
        while true {
            if p.hasPrefix("./") { p = p.dropFirst(2) } else if p.hasPrefix("/") { p = p.dropFirst() } else { break }
        }
        return String(p)
    }
}

/// The data of the current member of a ``TarReader``, as a byte source.
///
/// Closing it does not close the archive.
public struct TarMemberSource: ByteSource {
    let reader: TarReader

    public init(_ reader: TarReader) { self.reader = reader }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        try reader.readMember(into: buffer)
    }

    public mutating func close() {}
}
