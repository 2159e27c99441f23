import Foundation

/// One entry of an image layer (or of a root filesystem), with what was learnt from its bytes.
public struct ImageFile: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case regular
        case directory
        /// A symbolic link to `target` (as stored).
        case symlink(target: String)
        /// A hard link to another path of the image.
        case hardlink(target: String)
        /// `.wh.NAME`: removes NAME from lower layers.
        case whiteout
        /// `.wh..wh..opq`: hides what lower layers put in this directory.
        case opaque
        case other
    }

    /// What the file's bytes told, for the files that matter.
    public enum Content: Sendable, Equatable {
        /// A small configuration file, kept whole (nsswitch.conf, os-release, dpkg/apk records).
        case text([UInt8])
        /// A glibc `libc.so.6`, with the version its banner states.
        case glibc(version: String?)
        /// A Go binary.
        case goBinary(GoBinaryFacts)
        /// An ELF file that is not Go.
        case elf
        /// A script: the `#!` line.
        case script(String)
        /// The file could not be read or inspected: the reason.
        case unreadable(String)
    }

    /// The path in the image, without a leading `/`.
    public var path: String
    public var kind: Kind
    public var mode: Int
    public var size: Int
    public var content: Content?

    public init(path: String, kind: Kind, mode: Int = 0, size: Int = 0, content: Content? = nil) {
        self.path = path
        self.kind = kind
        self.mode = mode
        self.size = size
        self.content = content
    }
}

/// Decides which files of an image are read, and reads them: configuration files whole,
/// libc banners, and executables (inspected, then dropped from memory).
public struct ImageFileReader: Sendable {
    public var maxBinaryBytes: Int
    /// The largest configuration file kept.
    public static let maxTextBytes = 8 << 20

    public init(maxBinaryBytes: Int) { self.maxBinaryBytes = maxBinaryBytes }

    /// Configuration files kept whole.
    static let textPaths: Set<String> = [
        "etc/nsswitch.conf", "etc/os-release", "usr/lib/os-release", "etc/mdns.allow", "lib/apk/db/installed",
        "etc/ld.so.conf", "etc/alpine-release", "etc/debian_version",
    ]

    static func wantsText(_ path: String) -> Bool {
        textPaths.contains(path) || path.hasPrefix("var/lib/dpkg/status.d/") || path.hasPrefix("etc/ld.so.conf.d/")
            || (path.hasPrefix("etc/ld-musl-") && path.hasSuffix(".path"))
    }

    static func isLibc(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name == "libc.so.6" || (name.hasPrefix("libc-2.") && name.hasSuffix(".so"))
    }

    /// Reads what matters of a regular file from `source` (which is positioned at its data).
    public func content(path: String, mode: Int, size: Int, source: inout some ByteSource) throws(InputError) -> ImageFile.Content? {
        if path == "var/lib/dpkg/status" {
            guard size <= 64 << 20 else { return nil }
            let bytes = try BinaryBytes.read(&source, name: path, expected: size, limit: 64 << 20)
            return .text(DpkgStatus.stanza(of: "libc6", in: bytes.buffer))
        }
        if Self.wantsText(path) {
            guard size <= Self.maxTextBytes else { return nil }
            let bytes = try BinaryBytes.read(&source, name: path, expected: size, limit: Self.maxTextBytes)
            return .text(Array(bytes.buffer))
        }
        if Self.isLibc(path), size <= 64 << 20 {
            let bytes = try BinaryBytes.read(&source, name: path, expected: size, limit: 64 << 20)
            return .glibc(version: GlibcBanner.version(in: bytes.buffer))
        }
        guard mode & 0o111 != 0, size >= 4 else { return nil }
        // Executables: the first bytes decide whether the rest is read.
        let headBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: min(size, 256), alignment: 16)
        defer { headBuffer.deallocate() }
        var filled = 0
        while filled < headBuffer.count {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: headBuffer[filled...]))
            if n == 0 { break }
            filled += n
        }
        let head = Array(headBuffer[0..<filled])
        if head.starts(with: [0x23, 0x21]) {
            let line = head.prefix { $0 != 0x0A }
            return .script(String(decoding: line.dropFirst(2), as: UTF8.self).trimmingSpaces())
        }
        guard BinaryInspector.looksLikeELF(head.withUnsafeBytes { $0 }) else { return nil }
        guard size <= maxBinaryBytes else {
            return .unreadable("ELF file of \(size) bytes is larger than the \(maxBinaryBytes >> 20) MiB limit; not inspected")
        }
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        head.withUnsafeBytes { storage.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<filled])) }
        var total = filled
        while total < size {
            let n: Int
            do { n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: storage[total..<size])) } catch {
                storage.deallocate()
                throw error
            }
            if n == 0 { break }
            total += n
        }
        let bytes = BinaryBytes(owning: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[0..<total]), free: { storage.deallocate() })
        do {
            return .goBinary(try BinaryInspector.inspect(bytes.buffer, path: "/" + path))
        } catch {
            switch error {
            case .notGo, .notELF: return .elf
            default: return .unreadable(error.description)
            }
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}

/// glibc states its version in a banner: `GNU C Library (Debian GLIBC 2.36-9+deb12u4) stable
/// release version 2.36.`
enum GlibcBanner {
    static func version(in bytes: UnsafeRawBufferPointer) -> String? {
        guard let at = bytes.firstRange(of: "GNU C Library") else { return nil }
        let window = UnsafeRawBufferPointer(rebasing: bytes[at..<min(bytes.count, at + 200)])
        guard let v = window.firstRange(of: "release version ") else { return nil }
        var end = v + 16
        while end < window.count, (window[end] >= 0x30 && window[end] <= 0x39) || window[end] == 0x2E { end += 1 }
        var text = String(decoding: window[(v + 16)..<end], as: UTF8.self)
        while text.hasSuffix(".") { text.removeLast() }
        return text.isEmpty ? nil : text
    }
}

/// `/var/lib/dpkg/status` (and distroless `status.d/*`): RFC 822-style stanzas.
public enum DpkgStatus {
    /// The stanza of package `name`, or empty.
    static func stanza(of name: String, in bytes: UnsafeRawBufferPointer) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        for stanza in text.components(separatedBy: "\n\n") where stanza.hasPrefix("Package: \(name)\n") {
            return Array(stanza.utf8)
        }
        return []
    }

    /// The upstream version of `Package: libc6` in a stanza list (`2.36-9+deb12u4` -> `2.36`).
    public static func libcVersion(_ text: String) -> String? {
        for stanza in text.components(separatedBy: "\n\n") {
            let lines = stanza.split(separator: "\n")
            guard lines.contains("Package: libc6") else { continue }
            for line in lines where line.hasPrefix("Version: ") {
                var version = line.dropFirst(9)
                if let colon = version.firstIndex(of: ":") { version = version[version.index(after: colon)...] }
                let upstream = version.prefix { $0 != "-" && $0 != "+" && $0 != "~" }
                return upstream.isEmpty ? nil : String(upstream)
            }
        }
        return nil
    }
}
