/// One line that shows the resolver path, and where it was.
public struct EvidenceSample: Sendable, Equatable, Codable, Comparable {
    /// The message text (cut to 300 bytes).
    public var text: String
    /// The file it was read from (`-` for standard input).
    public var file: String
    /// Its 1-based line number in that file.
    public var line: Int

    public init(text: String, file: String, line: Int) {
        self.text = text
        self.file = file
        self.line = line
    }

    public static func < (a: EvidenceSample, b: EvidenceSample) -> Bool {
        (a.file, a.line, a.text) < (b.file, b.line, b.text)
    }

    /// The earlier of two samples, so that merging is order-independent.
    static func earliest(_ a: EvidenceSample?, _ b: EvidenceSample?) -> EvidenceSample? {
        switch (a, b) {
        case let (x?, y?): return min(x, y)
        case let (x?, nil): return x
        case let (nil, y): return y
        }
    }
}
