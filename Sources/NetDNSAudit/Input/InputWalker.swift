#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Expands the user's arguments into the files to read: directories recursively, in sorted
/// order, each directory once (symlink loops are cut), each file once (a file reached through
/// two paths, such as a CRI log and its `/var/log/containers` link, is read once).
public struct InputWalker {
    /// A file to read, or a problem met while walking.
    public enum Item: Sendable, Equatable {
        case file(String)
        case problem(InputError)
    }

    public init() {}

    public func expand(_ paths: [String]) -> [Item] {
        var items: [Item] = []
        var seenDirectories = Set<FileID>()
        var seenFiles = Set<FileID>()
        for path in paths { walk(path, &items, &seenDirectories, &seenFiles, depth: 0) }
        return items
    }

    struct FileID: Hashable { let device: UInt64; let inode: UInt64 }

    func walk(_ path: String, _ items: inout [Item], _ dirs: inout Set<FileID>, _ files: inout Set<FileID>, depth: Int) {
        var st = stat()
        guard stat(path, &st) == 0 else {
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
            guard dirs.insert(id).inserted else {
                if depth > 0 {
                    items.append(.problem(.unsupported(path: path, reason: "directory already visited (symlink loop?), skipped")))
                }
                return
            }
            guard let entries = listDirectory(path, &items) else { return }
            let prefix = path.hasSuffix("/") ? path : path + "/"
            for name in DockerContainerDirectory.logEntries(entries) { walk(prefix + name, &items, &dirs, &files, depth: depth + 1) }
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
            items.append(.problem(.cannotOpen(path: path, reason: String(cString: strerror(errno)))))
            return nil
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
