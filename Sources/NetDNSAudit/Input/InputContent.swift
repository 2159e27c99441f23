#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a stream holds, judged from its first bytes (never from its name).
public enum InputContent: Sendable, Equatable {
    /// Log lines.
    case text
    /// A tar archive (ustar, GNU or pax): its members are analysed one by one.
    case tarArchive
    /// Not a log: skipped and listed in ``InputTotals/binaryFilesSkipped``.
    case binary

    /// How many leading bytes (after gzip decoding) the decision looks at.
    public static let sniffBytes = 8192

    /// Of the first block, the share of control bytes above which a block holding a NUL is binary.
    public static let binaryControlShare = 0.05

    /// Whether the bytes start with the gzip magic `1f 8b`.
    public static func isGzip(_ prefix: [UInt8]) -> Bool {
        prefix.count >= 2 && prefix[0] == 0x1F && prefix[1] == 0x8B
    }

    /// Classifies a stream from its first bytes (up to ``sniffBytes``, already decompressed).
    ///
    /// - A tar archive has `ustar` at offset 257 of its first 512-byte header.
    /// - Binary: the block holds a NUL byte *and* either has no newline at all or more than
    ///   ``binaryControlShare`` of its bytes are control bytes (other than tab, newline,
    ///   vertical tab, form feed, carriage return and escape). A NUL alone is not enough: log
    ///   files do carry the odd line of NULs (a crashed writer, a pre-allocated region), and
    ///   such a log must still be read; an executable, a core dump or an image has a NUL-heavy
    ///   first block.
    public static func classify(_ prefix: [UInt8]) -> InputContent {
        if isTarHeader(prefix) { return .tarArchive }
        return looksBinary(prefix) ? .binary : .text
    }

    /// Whether the bytes begin with a ustar (or GNU) tar header.
    public static func isTarHeader(_ prefix: [UInt8]) -> Bool {
        guard prefix.count >= 512 else { return false }
        return prefix[257] == 0x75 && prefix[258] == 0x73 && prefix[259] == 0x74
            && prefix[260] == 0x61 && prefix[261] == 0x72 // "ustar"
    }

    /// The binary rule of ``classify(_:)``.
    public static func looksBinary(_ prefix: [UInt8]) -> Bool {
        let block = prefix.prefix(sniffBytes)
        // Most blocks hold no NUL: memchr says so at memory speed (a file of a tree is judged too).
        let holdsNUL = block.withUnsafeBytes { bytes in bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false }
        guard holdsNUL else { return false }
        var control = 0
        var newline = false
        for byte in block where byte < 0x20 || byte == 0x7F {
            switch byte {
            case 0x0A: newline = true
            case 0x09, 0x0B, 0x0C, 0x0D, 0x1B: break
            default: control += 1
            }
        }
        return !newline || Double(control) > Double(block.count) * binaryControlShare
    }
}
