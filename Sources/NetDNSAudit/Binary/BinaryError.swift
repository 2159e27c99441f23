/// Why a file could not be inspected as a Go binary.
public enum BinaryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not start with the ELF magic.
    case notELF
    /// An ELF file that is not a Go program (no Go build info, no Go function table).
    case notGo
    /// The file ends before a structure the header promises.
    case truncated(String)
    /// A header field is out of range or inconsistent.
    case corrupt(String)
    /// An ELF variant this reader does not handle (class, byte order, version).
    case unsupported(String)

    /// The problem, without the file name.
    public var description: String {
        switch self {
        case .notELF: return "not an ELF file"
        case .notGo: return "ELF file but not a Go program (no Go build info or function table)"
        case .truncated(let what): return "truncated ELF file: \(what)"
        case .corrupt(let what): return "corrupt ELF file: \(what)"
        case .unsupported(let what): return "unsupported ELF file: \(what)"
        }
    }
}
