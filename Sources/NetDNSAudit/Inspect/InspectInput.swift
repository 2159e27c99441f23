/// What one `inspect` argument names.
public enum InspectInput: Sendable, Equatable {
    /// A file or directory: a binary, a directory of binaries, an image tarball or an OCI layout.
    case path(String)
    /// An unpacked image root filesystem (`--root DIR`).
    case root(String)
}

/// One input that could not be inspected, or only in part.
public struct InspectError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public init(_ error: InputError) {
        switch error {
        case .cannotOpen(let p, let r): self.init(path: p, reason: "cannot open: \(r)")
        case .readFailed(let p, let r): self.init(path: p, reason: "read error: \(r)")
        case .corrupt(let p, let r), .unsupported(let p, let r): self.init(path: p, reason: r)
        }
    }

    /// `PATH: problem`.
    public var description: String { "\(path): \(reason)" }
}
