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

    public var path: String {
        switch self {
        case .cannotOpen(let p, _), .readFailed(let p, _), .corrupt(let p, _), .unsupported(let p, _): return p
        }
    }

    /// One line: the path and the problem.
    public var description: String {
        switch self {
        case .cannotOpen(let p, let r): return "\(p): cannot open: \(r)"
        case .readFailed(let p, let r): return "\(p): read error: \(r)"
        case .corrupt(let p, let r): return "\(p): \(r)"
        case .unsupported(let p, let r): return "\(p): \(r)"
        }
    }
}
