/// A shell-style (fnmatch) pattern on names: `*` any run of characters, `?` one character,
/// `[abc]`, `[a-z]` and `[!a-z]` (or `[^a-z]`) one character of (not of) a set, and `\x` the
/// character `x` itself. Matches the whole name; `/` is an ordinary character.
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let scalars: [Unicode.Scalar]

    public init(_ pattern: String) {
        self.pattern = pattern
        scalars = Array(pattern.unicodeScalars)
    }

    public var description: String { pattern }

    /// What is wrong with `pattern`, or `nil`: a `[` with no `]` to close its set (`[a-`, `[]`,
    /// whose `]` is a member), a range whose ends are reversed (`[z-a]`), or a trailing `\`.
    /// Such a pattern would never match what its author meant, so it is refused.
    public static func problem(in pattern: String) -> String? {
        let s = Array(pattern.unicodeScalars)
        var i = 0
        while i < s.count {
            switch s[i] {
            case "\\":
                guard i + 1 < s.count else { return "'\(pattern)' ends with a lone '\\' (write '\\\\' for a backslash)" }
                i += 2
            case "[":
                let open = i
                i += 1
                if i < s.count && (s[i] == "!" || s[i] == "^") { i += 1 }
                var first = true, closed = false
                while i < s.count {
                    var lo = s[i]
                    if lo == "]" && !first { closed = true; break }
                    first = false
                    if lo == "\\" {
                        guard i + 1 < s.count else { break }
                        i += 1
                        lo = s[i]
                    }
                    if i + 2 < s.count && s[i + 1] == "-" && s[i + 2] != "]" {
                        var hi = s[i + 2]
                        if hi == "\\" && i + 3 < s.count { i += 1; hi = s[i + 2] }
                        guard lo.value <= hi.value else { return "'\(pattern)': the range \(lo)-\(hi) is empty (its ends are reversed)" }
                        i += 2
                    }
                    i += 1
                }
                guard closed else {
                    return "'\(pattern)': the '[' at character \(open + 1) has no ']' to close its set (a ']' right after '[' or '[!' is a member; write '\\[' for a bracket)"
                }
                i += 1
            default:
                i += 1
            }
        }
        return nil
    }

    /// Whether `name` matches the whole pattern.
    public func matches(_ name: String) -> Bool {
        let text = Array(name.unicodeScalars)
        var p = 0, t = 0
        // The position after the last `*` and the text position it was tried at, for backtracking.
        var starP = -1, starT = 0
        while t < text.count {
            if p < scalars.count {
                switch scalars[p] {
                case "*":
                    starP = p + 1
                    starT = t
                    p += 1
                    continue
                case "?":
                    p += 1; t += 1
                    continue
                case "[":
                    if let (matched, next) = matchSet(at: p, text[t]) {
                        if matched { p = next; t += 1; continue }
                    } else if text[t] == "[" {
                        // An unclosed `[` is an ordinary character.
                        p += 1; t += 1
                        continue
                    }
                case "\\" where p + 1 < scalars.count:
                    if scalars[p + 1] == text[t] { p += 2; t += 1; continue }
                default:
                    if scalars[p] == text[t] { p += 1; t += 1; continue }
                }
            }
            guard starP >= 0 else { return false }
            starT += 1
            t = starT
            p = starP
        }
        while p < scalars.count && scalars[p] == "*" { p += 1 }
        return p == scalars.count
    }

    /// Matches `c` against the set starting at `scalars[start] == "["`: whether it matched and
    /// the position after `]`, or nil when the set is not closed.
    private func matchSet(at start: Int, _ c: Unicode.Scalar) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < scalars.count && (scalars[i] == "!" || scalars[i] == "^") { negate = true; i += 1 }
        var matched = false
        var first = true
        while i < scalars.count {
            var lo = scalars[i]
            if lo == "]" && !first { return (matched != negate, i + 1) }
            first = false
            if lo == "\\" && i + 1 < scalars.count { i += 1; lo = scalars[i] }
            var hi = lo
            if i + 2 < scalars.count && scalars[i + 1] == "-" && scalars[i + 2] != "]" {
                hi = scalars[i + 2]
                if hi == "\\" && i + 3 < scalars.count { i += 1; hi = scalars[i + 2] }
                i += 2
            }
            if lo.value <= c.value && c.value <= hi.value { matched = true }
            i += 1
        }
        return nil
    }
}
