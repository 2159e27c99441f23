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
        var items: [Item] = []
        var seenDirectories = Set<FileID>()
        var seenFiles = Set<FileID>()
        var ancestors: [FileID] = []
        for path in paths { walk(path, &items, &seenDirectories, &seenFiles, &ancestors) }
        return items
    }

    struct FileID: Hashable { let device: UInt64; let inode: UInt64 }

    /// Walks `path`; `ancestors` are the directories it is inside (its depth is their count).
    func walk(_ path: String, _ items: inout [Item], _ dirs: inout Set<FileID>, _ files: inout Set<FileID>, _ ancestors: inout [FileID]) {
        let depth = ancestors.count
        var st = stat()
        guard stat(path, &st) == 0 else {
            let gone = errno == ENOENT || errno == ENOTDIR
            switch vanished {
            case .skipped where gone: return
            case .skippedInsideDirectories where gone && depth > 0: return
            default: break
            }
            items.append(.problem(.cannotOpen(path: path, reason: String(cString: strerror(errno)))))
            return
        }
        let id = FileID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
        switch st.st_mode & S_IFMT {
        case S_IFDIR:
            guard depth < 64 else {
                items.append(.problem(.unsupported(path: path, reason: "directory nesting deeper than 64 levels, skipped")))
                return
            }
            if ancestors.contains(id) {
                items.append(.problem(.unsupported(path: path, reason: "symlink loop (links to a directory above it), skipped")))
                return
            }
            // Reached before through another path (a symlink to a sibling): already read.
            guard dirs.insert(id).inserted else { return }
            guard let entries = listDirectory(path, &items) else { return }
            let prefix = path.hasSuffix("/") ? path : path + "/"
            ancestors.append(id)
            defer { ancestors.removeLast() }
            for name in DockerContainerDirectory.logEntries(entries) { walk(prefix + name, &items, &dirs, &files, &ancestors) }
        case S_IFREG:
            if files.insert(id).inserted { items.append(.file(path)) }
        case S_IFIFO, S_IFCHR:
            // Named pipes and devices are read as streams when named directly; in a tree they are skipped.
            if depth == 0 {
                items.append(.file(path))
            } else {
                items.append(.problem(.unsupported(path: path, reason: "not a regular file, skipped")))
            }
        default:
            items.append(.problem(.unsupported(path: path, reason: "not a regular file or directory, skipped")))
        }
    }

    func listDirectory(_ path: String, _ items: inout [Item]) -> [String]? {
        guard let dir = opendir(path) else {
            if vanished != .reported && (errno == ENOENT || errno == ENOTDIR) { return nil }
            items.append(.problem(.cannotOpen(path: path, reason: String(cString: strerror(errno)))))
            return nil
        }
        defer { closedir(dir) }
        var names: [String] = []
        let prefix = path.hasSuffix("/") ? path : path + "/"
        while let entry = readdir(dir) {
            let (name, valid) = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { (String(cString: $0), String(validatingCString: $0) != nil) }
            }
            guard valid else {
                // Paths are Strings: a name that is not UTF-8 would be repaired (U+FFFD) and
                // then name no file. Say so instead of a misleading "no such file".
                items.append(.problem(.unsupported(path: prefix + name, reason: "file name is not valid UTF-8, skipped")))
                continue
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return Self.readingOrder(names)
    }

    /// Directory entries in the order they are read: sorted by name, except that kubelet's
    /// rotated copies of a log (`0.log.20261120-100000`, `0.log.20261120-100000.gz`) come
    /// just before the live `0.log`, oldest first, so a container's lines are read in time order.
    public static func readingOrder(_ names: [String]) -> [String] {
        names.map { (key: RotationKey(name: $0), name: $0) }
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
