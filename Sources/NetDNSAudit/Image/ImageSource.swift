#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How an image (or a file that may be one) is laid out, told by magic bytes, never by name.
public enum ImageSource {
    /// The kinds of image input.
    public enum Kind: Sendable, Equatable {
        /// A tar stream (gzipped or not): `docker save` (legacy or OCI variant) or an OCI archive.
        case archive
        /// A directory with `oci-layout` and `index.json`.
        case ociLayoutDirectory
        /// An unpacked root filesystem (`--root DIR`).
        case rootDirectory
    }

    /// What a file's first bytes say.
    public enum Sniffed: Sendable, Equatable {
        case elf
        /// tar, gzip or zstd: an image archive candidate.
        case archive
        /// Neither: the reason, for the error line.
        case other(String)
    }

    /// The compression of a stream (a layer, or an image tarball).
    public enum Compression: String, Sendable, Equatable {
        case none, gzip, zstd
    }

    /// Reads the first bytes of `path`.
    public static func sniff(path: String) -> Sniffed {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .other("cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 512)
        let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, 512) }
        guard n >= 0 else { return .other("read error: \(String(cString: strerror(errno)))") }
        return sniff(Array(head[0..<n]))
    }

    public static func sniff(_ head: [UInt8]) -> Sniffed {
        if head.count >= 4, head[0] == 0x7F, head[1] == 0x45, head[2] == 0x4C, head[3] == 0x46 { return .elf }
        if compression(head) != nil, compression(head) != .some(.none) { return .archive }
        if isTarHeader(head) { return .archive }
        if head.isEmpty { return .other("empty file: not an ELF binary or an image") }
        if let name = unknownCompression(head) { return .other("\(name)-compressed: not an ELF binary or an image netdns-audit reads (tar, tar+gzip, tar+zstd)") }
        return .other("not an ELF binary or an image (no ELF magic, no tar header)")
    }

    /// gzip, zstd, or none for a tar header; nil for anything else.
    public static func compression(_ head: [UInt8]) -> Compression? {
        if head.count >= 2, head[0] == 0x1F, head[1] == 0x8B { return .gzip }
        if head.count >= 4, head[0] == 0x28, head[1] == 0xB5, head[2] == 0x2F, head[3] == 0xFD { return .zstd }
        if isTarHeader(head) { return Compression.none }
        return nil
    }

    /// Known compressions that are not read: named in the error.
    public static func unknownCompression(_ head: [UInt8]) -> String? {
        if head.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return "xz" }
        if head.starts(with: [0x42, 0x5A, 0x68]) { return "bzip2" }
        if head.starts(with: [0x04, 0x22, 0x4D, 0x18]) { return "lz4" }
        if head.starts(with: [0x5D, 0x00, 0x00]) { return "lzma" }
        return nil
    }

    /// A ustar/GNU header, a valid old-style header, or the two zero blocks of an empty archive.
    public static func isTarHeader(_ head: [UInt8]) -> Bool {
        guard head.count >= 512 else { return head.count >= 512 }
        if head[257..<262].elementsEqual("ustar".utf8) { return true }
        if head[0..<512].allSatisfy({ $0 == 0 }) { return true }
        return TarReader.checksumMatches(Array(head[0..<512]))
    }

    /// Whether `directory` holds an OCI image layout (`oci-layout` and `index.json`).
    public static func isOCILayout(directory: String) -> Bool {
        access(directory + "/oci-layout", F_OK) == 0 && access(directory + "/index.json", F_OK) == 0
    }

    /// `source` decompressed as its magic bytes say; an unknown compression throws naming `name`.
    static func decompressed(_ source: any ByteSource, name: String) throws(InputError) -> any ByteSource {
        let peek = PeekableSource(source, peeking: 512)
        switch compression(peek.prefix) {
        case .gzip: return GzipSource(peek, path: name)
        case .zstd: return ZstdSource(peek, path: name)
        case .some(.none): return peek
        case nil:
            if let known = unknownCompression(peek.prefix) {
                throw .unsupported(path: name, reason: "layer with an unknown compression (\(known)); netdns-audit reads tar, tar+gzip and tar+zstd")
            }
            if peek.prefix.isEmpty { return peek }
            throw .unsupported(path: name, reason: "not a tar stream (no tar header, no gzip or zstd magic)")
        }
    }
}
