import CNetDNSShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension InputWalker {
    /// A walk in progress, one item at a time, in the order of ``InputWalker/expand(_:)``: the
    /// files it finds can be read while it goes on (one walk shared by the threads reading
    /// files, each taking the next items under a lock; a `Walk` itself is not thread-safe).
    ///
    /// A directory costs one `open`, one `fstat` and its `getdents64` calls into one reused
    /// buffer; an entry that the directory says is a regular file or a directory is not
    /// `stat`ed (only symlinks and entries of unknown type are). With `identifiesFiles` off,
    /// regular files are not told apart here: the reader does it from the `fstat` of the file
    /// it opens, keeping the first path to each file in this order (see `ParallelFileAnalyzer`).
    final class Walk {
        struct Entry {
            var name: String
            /// The `d_type` the directory gives (`DT_UNKNOWN` for the paths the user named).
            var type: UInt8
        }

        /// A directory being walked: its entries in reading order and the next one to visit.
        struct Frame {
            let prefix: String
            let entries: [Entry]
            var next = 0
            /// The directory (`nil` for the frame of the user's paths).
            let id: FileID?
        }

        let vanished: VanishedPaths
        let identifiesFiles: Bool
        private var frames: [Frame]
        /// Problems met while listing a directory (names that are not UTF-8), given before its entries.
        private var pending: [Item] = []
        private var seenDirectories = Set<FileID>()
        private var seenFiles = Set<FileID>()
        private let buffer: UnsafeMutableRawBufferPointer

        init(_ paths: [String], vanished: VanishedPaths, identifiesFiles: Bool) {
            self.vanished = vanished
            self.identifiesFiles = identifiesFiles
            frames = [Frame(prefix: "", entries: paths.map { Entry(name: $0, type: UInt8(DT_UNKNOWN)) }, id: nil)]
            buffer = .allocate(byteCount: 64 << 10, alignment: 16)
        }

        deinit { buffer.deallocate() }

        /// The next file or problem, `nil` at the end of the walk.
        func next() -> Item? {
            while true {
                if !pending.isEmpty { return pending.removeFirst() }
                guard let top = frames.last else { return nil }
                guard top.next < top.entries.count else {
                    frames.removeLast()
                    continue
                }
                frames[frames.count - 1].next += 1
                let entry = top.entries[top.next]
                if let item = visit(top.prefix + entry.name, type: entry.type, depth: frames.count - 1) { return item }
            }
        }

        /// Visits a path `depth` directories below the user's: returns its item, or enters it
        /// (a directory) or skips it and returns `nil`.
        private func visit(_ path: String, type: UInt8, depth: Int) -> Item? {
            switch Int32(type) {
            case Int32(DT_REG) where !identifiesFiles:
                return .file(path)
            case Int32(DT_DIR):
                return enter(path, depth: depth, statted: nil)
            case Int32(DT_FIFO) where depth > 0, Int32(DT_CHR) where depth > 0:
                return .problem(.unsupported(path: path, reason: "not a regular file, skipped"))
            case Int32(DT_SOCK) where depth > 0, Int32(DT_BLK) where depth > 0:
                return .problem(.unsupported(path: path, reason: "not a regular file or directory, skipped"))
            default:
                var st = stat()
                guard stat(path, &st) == 0 else { return vanishedOrProblem(path, errno: errno, depth: depth) }
                return classify(path, st, depth: depth)
            }
        }

        /// What `stat` says a path is.
        private func classify(_ path: String, _ st: stat, depth: Int) -> Item? {
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                return enter(path, depth: depth, statted: FileID(st))
            case S_IFREG:
                if identifiesFiles && !seenFiles.insert(FileID(st)).inserted { return nil }
                return .file(path)
            case S_IFIFO, S_IFCHR:
                // Named pipes and devices are read as streams when named directly; in a tree they are skipped.
                return depth == 0 ? .file(path) : .problem(.unsupported(path: path, reason: "not a regular file, skipped"))
            default:
                return .problem(.unsupported(path: path, reason: "not a regular file or directory, skipped"))
            }
        }

        /// A path that `stat` cannot see: gone (skipped when ``vanished`` allows) or a problem.
        private func vanishedOrProblem(_ path: String, errno code: Int32, depth: Int) -> Item? {
            let gone = code == ENOENT || code == ENOTDIR
            switch vanished {
            case .skipped where gone: return nil
            case .skippedInsideDirectories where gone && depth > 0: return nil
            default: return .problem(.cannotOpen(path: path, reason: String(cString: strerror(code))))
            }
        }

        /// Opens a directory and, unless it is too deep, a loop or already walked, lists it and
        /// makes it the directory being walked.
        private func enter(_ path: String, depth: Int, statted: FileID?) -> Item? {
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            let openError = fd < 0 ? errno : EIO
            defer { if fd >= 0 { close(fd) } }
            var st = stat()
            var listing: Int32 = -1
            let id: FileID
            if fd >= 0, fstat(fd, &st) == 0 {
                id = FileID(st)
                listing = fd
            } else if let statted {
                id = statted
            } else {
                // Not opened (no permission, or gone): what it is, as `stat` says.
                guard stat(path, &st) == 0 else { return vanishedOrProblem(path, errno: errno, depth: depth) }
                guard st.st_mode & S_IFMT == S_IFDIR else { return classify(path, st, depth: depth) }
                id = FileID(st)
            }
            guard depth < 64 else {
                return .problem(.unsupported(path: path, reason: "directory nesting deeper than 64 levels, skipped"))
            }
            if frames.contains(where: { $0.id == id }) {
                return .problem(.unsupported(path: path, reason: "symlink loop (links to a directory above it), skipped"))
            }
            // Reached before through another path (a symlink to a sibling): already read.
            guard seenDirectories.insert(id).inserted else { return nil }
            guard listing >= 0 else {
                if vanished != .reported && (openError == ENOENT || openError == ENOTDIR) { return nil }
                return .problem(.cannotOpen(path: path, reason: String(cString: strerror(openError))))
            }
            let prefix = path.hasSuffix("/") ? path : path + "/"
            let entries = InputWalker.readingOrder(entries: list(listing, prefix: prefix))
            frames.append(Frame(prefix: prefix, entries: DockerContainerDirectory.logEntries(entries, name: \.name), id: id))
            return nil
        }

        /// The entries of an open directory but `.` and `..`, in the order it gives them; a name
        /// that is not UTF-8 is a problem instead (paths are Strings: it would be repaired, U+FFFD,
        /// and then name no file). A read error ends the list, as `readdir` does.
        private func list(_ fd: Int32, prefix: String) -> [Entry] {
            var entries: [Entry] = []
            let base = buffer.baseAddress!
            while true {
                let filled = netdns_getdents64(fd, base, buffer.count)
                guard filled > 0 else { break }
                var at = 0
                while at + 19 < filled {
                    let length = Int(base.loadUnaligned(fromByteOffset: at + 16, as: UInt16.self))
                    guard length > 19, at + length <= filled else { break }
                    let type = base.load(fromByteOffset: at + 18, as: UInt8.self)
                    let name = (base + at + 19).assumingMemoryBound(to: CChar.self)
                    at += length
                    if name[0] == 0x2E && (name[1] == 0 || (name[1] == 0x2E && name[2] == 0)) { continue }
                    guard let text = String(validatingCString: name) else {
                        pending.append(.problem(.unsupported(path: prefix + String(cString: name), reason: "file name is not valid UTF-8, skipped")))
                        continue
                    }
                    entries.append(Entry(name: text, type: type))
                }
            }
            return entries
        }
    }

    /// ``readingOrder(_:)`` of directory entries.
    static func readingOrder(entries: [Walk.Entry]) -> [Walk.Entry] {
        // One entry (a pod's directory, its container's) is in order as it is.
        if entries.count < 2 { return entries }
        guard entries.contains(where: { RotationKey.mayBeRotated($0.name) }) else { return entries.sorted { $0.name < $1.name } }
        return entries.map { (key: RotationKey(name: $0.name), entry: $0) }
            .sorted { ($0.key, $0.entry.name) < ($1.key, $1.entry.name) }
            .map(\.entry)
    }
}
