#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Analyzer {
    /// The bytes a batch run will read, from the sizes of the files (`stat`), for a progress
    /// display; `nil` when an input has no known size (standard input, a pipe, a device).
    /// Unreadable paths count as empty: the analysis reports them.
    public func inputByteCount(_ inputs: [InputSpec]) -> Int? {
        var paths: [String] = []
        for input in inputs {
            switch input {
            case .standardInput: return nil
            case .path(let p): paths.append(p)
            }
        }
        var total = 0
        for item in InputWalker().expand(paths) {
            guard case .file(let path) = item else { continue }
            var st = stat()
            guard stat(path, &st) == 0 else { continue }
            guard st.st_mode & S_IFMT == S_IFREG else { return nil }
            total += Int(st.st_size)
        }
        return total
    }
}
