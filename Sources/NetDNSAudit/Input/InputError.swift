/// Why an input could not be read, or only in part.
public enum InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path could not be opened (`errno` text).
    case cannotOpen(path: String, reason: String)
    /// Reading failed part-way (`errno` text).
    case readFailed(path: String, reason: String)
    /// Compressed or archived data ended early or was corrupt; what was decoded is kept.
    case corrupt(path: String, reason: String)
    /// The path names something that is not a file or directory, or a loop.
    case unsupported(path: String, reason: String)
    /// A regular file ended before the size it had when reading began (cut short while read):
    /// the `read` bytes before the cut were analysed.
    case truncatedWhileRead(path: String, read: Int, size: Int)

    public var path: String {
        switch self {
        case .cannotOpen(let p, _), .readFailed(let p, _), .corrupt(let p, _), .unsupported(let p, _),
             .truncatedWhileRead(let p, _, _): return p
        }
    }

    /// The problem of ``truncatedWhileRead(path:read:size:)``, without the path.
    static func truncation(read: Int, size: Int) -> String {
        "truncated while read: the file ended after \(read) of its \(size) bytes (rotated with copytruncate?); the report covers the part read"
    }

    /// One line: the path and the problem.
    public var description: String {
        switch self {
        case .cannotOpen(let p, let r): return "\(p): cannot open: \(r)"
        case .readFailed(let p, let r): return "\(p): read error: \(r)"
        case .corrupt(let p, let r): return "\(p): \(r)"
        case .unsupported(let p, let r): return "\(p): \(r)"
        case .truncatedWhileRead(let p, let read, let size): return "\(p): \(Self.truncation(read: read, size: size))"
        }
    }
}
