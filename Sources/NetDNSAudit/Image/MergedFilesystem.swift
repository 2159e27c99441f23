/// The image's filesystem as a container sees it: layers applied base first, whiteouts and
/// opaque directories applied, and paths resolved through symbolic links inside the image.
public struct MergedFilesystem: Sendable {
    /// Path (no leading `/`) -> the file that wins.
    public private(set) var files: [String: ImageFile] = [:]
    /// Directories implied by the paths of files (archives need not list them).
    var impliedDirectories: Set<String> = [""]

    public init() {}

    /// Applies one layer on top: its whiteouts and opaque markers remove lower files first,
    /// then its files are added.
    public mutating func apply(layer: [ImageFile]) {
        for file in layer {
            switch file.kind {
            case .whiteout: removeTree(file.path)
            case .opaque: removeTree(file.path, keepRoot: true)
            default: continue
            }
        }
        for file in layer {
            switch file.kind {
            case .whiteout, .opaque: continue
            case .directory:
                if let old = files[file.path], old.kind != .directory { files[file.path] = nil }
            default:
                if files[file.path]?.kind == .directory { removeTree(file.path) }
            }
            files[file.path] = file
            addParents(file.path)
        }
    }

    /// Removes `path` and everything under it (only what is under it, with `keepRoot`).
    mutating func removeTree(_ path: String, keepRoot: Bool = false) {
        if !keepRoot { files[path] = nil }
        let prefix = path.isEmpty ? "" : path + "/"
        for key in files.keys where key.hasPrefix(prefix) && key != path { files[key] = nil }
    }

    mutating func addParents(_ path: String) {
        var p = Substring(path)
        while let slash = p.lastIndex(of: "/") {
            p = p[..<slash]
            if !impliedDirectories.insert(String(p)).inserted { break }
        }
    }

    /// Whether anything lives under directory `path`.
    func isDirectory(_ path: String) -> Bool {
        if let f = files[path] { return f.kind == .directory }
        guard impliedDirectories.contains(path) else { return false }
        // An implied directory exists only while a file under it does.
        let prefix = path.isEmpty ? "" : path + "/"
        return files.keys.contains { $0.hasPrefix(prefix) }
    }

    /// The result of resolving a path.
    public struct Resolution: Sendable, Equatable {
        /// The final path (no leading `/`), after every link.
        public var path: String
        /// Every link followed: `lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2`.
        public var hops: [String]
        public var file: ImageFile?
    }

    public enum ResolveError: Error, Sendable, Equatable {
        /// A component is missing: the path as far as it got.
        case missing(String, hops: [String])
        /// More than 40 links (a loop).
        case loop(String)
    }

    /// Resolves `path` (absolute, or relative to the root) as the kernel would inside the image,
    /// following every symbolic link (absolute targets are relative to the image root).
    public func resolve(_ path: String) -> Result<Resolution, ResolveError> {
        var pending = Self.components(path)
        var done: [String] = []
        var hops: [String] = []
        var links = 0
        while !pending.isEmpty {
            let part = pending.removeFirst()
            if part == "." || part.isEmpty { continue }
            if part == ".." { _ = done.popLast(); continue }
            let candidate = (done + [part]).joined(separator: "/")
            if let file = files[candidate] {
                switch file.kind {
                case .symlink(let target):
                    links += 1
                    guard links <= 40 else { return .failure(.loop("/" + path.drop { $0 == "/" })) }
                    hops.append("/\(candidate) -> \(target)")
                    if target.hasPrefix("/") { done = [] }
                    pending = Self.components(target) + pending
                    continue
                case .hardlink(let target):
                    if pending.isEmpty, let linked = files[target] {
                        return .success(Resolution(path: candidate, hops: hops, file: linked))
                    }
                    done.append(part)
                    continue
                default:
                    done.append(part)
                    if pending.isEmpty { return .success(Resolution(path: candidate, hops: hops, file: file)) }
                    guard file.kind == .directory else { return .failure(.missing("/" + candidate, hops: hops)) }
                    continue
                }
            }
            guard isDirectory(candidate) else { return .failure(.missing("/" + candidate, hops: hops)) }
            done.append(part)
            if pending.isEmpty { return .success(Resolution(path: candidate, hops: hops, file: nil)) }
        }
        return .success(Resolution(path: done.joined(separator: "/"), hops: hops, file: files[done.joined(separator: "/")]))
    }

    /// The file at `path` after links, if it is a regular file (or a hard link to one).
    public func regularFile(_ path: String) -> ImageFile? {
        guard case .success(let r) = resolve(path), let file = r.file, file.kind == .regular else { return nil }
        return file
    }

    /// Whether `path` resolves to something.
    public func exists(_ path: String) -> Bool {
        if case .success = resolve(path) { return true }
        return false
    }

    static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// Every regular file whose content is a Go binary, by path.
    public var goBinaries: [(path: String, facts: GoBinaryFacts)] {
        files.compactMap { key, file in
            if case .goBinary(let facts)? = file.content, file.kind == .regular { return (key, facts) }
            return nil
        }.sorted { $0.path < $1.path }
    }

    /// Every path starting with `prefix`.
    public func paths(under prefix: String) -> [String] {
        files.keys.filter { $0.hasPrefix(prefix) }.sorted()
    }
}
