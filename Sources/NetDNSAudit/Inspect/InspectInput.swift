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
        let text = error.description
        let prefix = error.path + ": "
        self.init(path: error.path, reason: text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text)
    }

    /// `PATH: problem`.
    public var description: String { "\(path): \(reason)" }
}
