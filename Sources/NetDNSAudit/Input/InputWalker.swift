import CNetDNSShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Expands the user's arguments into the files to read: directories recursively, in sorted
/// order (kubelet's rotated logs before their live log, see ``readingOrder(_:)``), each directory once, each file once (a file reached through
/// two paths, such as a CRI log and its `/var/log/containers` link, is read once).
///
/// A directory reached again is told apart by where it is: a symlink to one of the directories
/// above it is a loop (cut, and reported); a symlink to a sibling or any other directory already
/// read is an ordinary second path to it (its files are read once, and nothing is reported).
public struct InputWalker {
    /// A file to read, or a problem met while walking.
    public enum Item: Sendable, Equatable {
        case file(String)
        case problem(InputError)
    }

    /// Which paths that are gone when they are looked at are skipped in silence instead of
    /// reported. A path listed in a directory and gone a moment later was renamed or deleted
    /// while the tree was walked: a rotation in progress, for `watch`.
    public enum VanishedPaths: Sendable {
        /// Every missing path is a problem (a batch run).
        case reported
        /// Paths found in directories may vanish; a path named by the user must exist.
        case skippedInsideDirectories
        /// Named paths may vanish too (a followed file between its rename and its re-creation).
        case skipped
    }

    public var vanished: VanishedPaths

    public init(vanished: VanishedPaths = .reported) { self.vanished = vanished }

    public func expand(_ paths: [String]) -> [Item] {
        let walk = Walk(paths, vanished: vanished, identifiesFiles: true)
        var items: [Item] = []
        while let item = walk.next() { items.append(item) }
        return items
    }

    /// Where a file or directory is: the same pair for every path to it.
    struct FileID: Hashable {
        let device: UInt64
        let inode: UInt64

        init(_ st: stat) {
            device = UInt64(st.st_dev)
            inode = UInt64(st.st_ino)
        }
    }

    /// Directory entries in the order they are read: sorted by name, except that kubelet's
    /// rotated copies of a log (`0.log.20261120-100000`, `0.log.20261120-100000.gz`) come
    /// just before the live `0.log`, oldest first, so a container's lines are read in time order.
    public static func readingOrder(_ names: [String]) -> [String] {
        // Only a name holding `.log.` can be a rotated copy: without one, the order is by name.
        guard names.contains(where: { RotationKey.mayBeRotated($0) }) else { return names.sorted() }
        return names.map { (key: RotationKey(name: $0), name: $0) }
            .sorted { ($0.key, $0.name) < ($1.key, $1.name) }
            .map(\.name)
    }

    /// Where a name sorts: under the live log it belongs to, rotated copies first by time.
    struct RotationKey: Comparable {
        /// The live log's name (`0.log`), or the name itself.
        var base: String
        /// 0 for a rotated copy, 1 for anything else.
        var rank: Int
        /// The rotation timestamp (`20261120-100000`); fixed width, so it sorts as text.
        var stamp: String

        init(name: String) {
            var rest = Substring(name)
            if rest.hasSuffix(".gz") { rest = rest.dropLast(3) }
            if let dot = rest.lastIndex(of: "."), rest[..<dot].hasSuffix(".log") {
                let stamp = rest[rest.index(after: dot)...]
                if Self.isRotationStamp(stamp) {
                    base = String(rest[..<dot])
                    rank = 0
                    self.stamp = String(stamp)
                    return
                }
            }
            base = name
            rank = 1
            stamp = ""
        }

        /// Whether `name` holds the bytes `.log.`, as every rotated copy's name does (a quick
        /// test: whether it is one is for ``init(name:)`` to say).
        static func mayBeRotated(_ name: String) -> Bool {
            var name = name
            return name.withUTF8 { bytes in
                guard bytes.count >= 5, let base = bytes.baseAddress else { return false }
                return memmem(base, bytes.count, ".log.", 5) != nil
            }
        }

        /// `YYYYMMDD-HHMMSS`, the time format of kubelet's rotation.
        static func isRotationStamp(_ text: Substring) -> Bool {
            let bytes = Array(text.utf8)
            guard bytes.count == 15, bytes[8] == 0x2D else { return false }
            return bytes.enumerated().allSatisfy { $0.offset == 8 || (0x30...0x39).contains($0.element) }
        }

        static func < (a: RotationKey, b: RotationKey) -> Bool {
            (a.base, a.rank, a.stamp) < (b.base, b.rank, b.stamp)
        }
    }
}
