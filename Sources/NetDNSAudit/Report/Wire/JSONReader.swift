/// A pull reader of JSON (RFC 8259) over bytes that arrive in chunks, in memory bounded by what
/// the caller keeps: values the caller does not want are skipped without being stored.
///
/// The saved-report reader is written on it (``WireReportDecoder``): it reads the counters of
/// a report and skips its derived fields, and it can say exactly what is wrong with a number
/// (`1.5 is not a whole number`, `1e400 ...`), which Foundation's decoder reports only as "not
/// valid JSON".
final class JSONReader {
    /// Fills the buffer; returns 0 at the end of the input.
    typealias Refill = (UnsafeMutableRawBufferPointer) throws(JSONReadError) -> Int

    private let refill: Refill
    private let buffer: UnsafeMutableRawBufferPointer
    private var position = 0
    private var end = 0
    private var ended = false
    /// Bytes consumed before the buffer's start.
    private var consumedBefore = 0
    /// How deep containers may nest (skipped values included).
    static let maxDepth = 512
    /// The longest string or key kept (longer ones are refused; skipped ones may be any length).
    let maxStringBytes: Int

    init(maxStringBytes: Int = 16 << 20, bufferSize: Int = 1 << 16, refill: @escaping Refill) {
        self.refill = refill
        self.maxStringBytes = maxStringBytes
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(16, bufferSize), alignment: 16)
    }

    /// Reads `bytes`.
    convenience init(bytes: [UInt8], maxStringBytes: Int = 16 << 20) {
        var offset = 0
        self.init(maxStringBytes: maxStringBytes) { (into: UnsafeMutableRawBufferPointer) throws(JSONReadError) -> Int in
            let n = min(into.count, bytes.count - offset)
            if n > 0 {
                bytes.withUnsafeBytes { into.baseAddress?.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            }
            offset += n
            return n
        }
    }

    deinit { buffer.deallocate() }

    /// Bytes consumed so far (the 1-based offset of the last byte read).
    var offset: Int { consumedBefore + position }

    // MARK: Bytes

    /// The next byte without consuming it, or `nil` at the end.
    func peekByte() throws(JSONReadError) -> UInt8? {
        if position == end {
            guard !ended else { return nil }
            consumedBefore += end
            position = 0
            end = try refill(buffer)
            if end == 0 { ended = true; return nil }
        }
        return buffer[position]
    }

    /// The next byte, consumed.
    func nextByte() throws(JSONReadError) -> UInt8? {
        guard let b = try peekByte() else { return nil }
        position += 1
        return b
    }

    /// Skips JSON whitespace; returns the next byte (not consumed), or `nil` at the end.
    func skipWhitespace() throws(JSONReadError) -> UInt8? {
        while let b = try peekByte() {
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return b }
            position += 1
        }
        return nil
    }

    func fail(_ problem: String, at path: String = "") -> JSONReadError {
        JSONReadError(path: path, offset: offset, problem: problem)
    }

    static func shown(_ byte: UInt8?) -> String {
        guard let byte else { return "the end of the input" }
        return (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    /// Consumes `byte` after whitespace.
    func expect(_ byte: UInt8, _ what: String, at path: String) throws(JSONReadError) {
        let b = try skipWhitespace()
        guard b == byte else { throw fail("expected \(what), found \(Self.shown(b))", at: path) }
        position += 1
    }

    // MARK: Values

    enum Kind: Equatable { case object, array, string, number, bool, null }

    /// The kind of the next value (nothing consumed).
    func kind(at path: String) throws(JSONReadError) -> Kind {
        switch try skipWhitespace() {
        case 0x7B: return .object
        case 0x5B: return .array
        case 0x22: return .string
        case 0x74, 0x66: return .bool
        case 0x6E: return .null
        case let b? where b == 0x2D || (0x30...0x39).contains(b): return .number
        case let b: throw fail("expected a value, found \(Self.shown(b))", at: path)
        }
    }

    /// Reads an object, calling `member` with each key; `member` must read or skip the value.
    func readObject(at path: String, _ member: (String) throws(JSONReadError) -> Void) throws(JSONReadError) {
        try expect(0x7B, "an object", at: path)
        if try skipWhitespace() == 0x7D { position += 1; return }
        while true {
            guard try skipWhitespace() == 0x22 else { throw fail("expected a key in quotes, found \(Self.shown(try skipWhitespace()))", at: path) }
            let key = try readString(at: path)
            try expect(0x3A, "':' after a key", at: path)
            try member(key)
            let b = try skipWhitespace()
            position += b == nil ? 0 : 1
            if b == 0x2C { continue }
            if b == 0x7D { return }
            throw fail("expected ',' or '}' in an object, found \(Self.shown(b))", at: path)
        }
    }

    /// Reads an array, calling `element` with each index; `element` must read or skip the value.
    func readArray(at path: String, _ element: (Int) throws(JSONReadError) -> Void) throws(JSONReadError) {
        try expect(0x5B, "an array", at: path)
        if try skipWhitespace() == 0x5D { position += 1; return }
        var index = 0
        while true {
            try element(index)
            index += 1
            let b = try skipWhitespace()
            position += b == nil ? 0 : 1
            if b == 0x2C { continue }
            if b == 0x5D { return }
            throw fail("expected ',' or ']' in an array, found \(Self.shown(b))", at: path)
        }
    }

    /// Reads a string (at most ``maxStringBytes`` bytes of UTF-8; invalid UTF-8 is repaired).
    func readString(at path: String) throws(JSONReadError) -> String {
        var bytes: [UInt8] = []
        let limit = maxStringBytes
        try scanString(at: path, plain: { (run: UnsafeRawBufferPointer) throws(JSONReadError) in
            guard bytes.count + run.count <= limit else { throw fail("a string longer than \(limit) bytes", at: path) }
            bytes.append(contentsOf: run)
        }) { (b: UInt8) throws(JSONReadError) in
            guard bytes.count < limit else { throw fail("a string longer than \(limit) bytes", at: path) }
            bytes.append(b)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Skips a string in constant memory.
    func skipString(at path: String) throws(JSONReadError) {
        try scanString(at: path, plain: { (_: UnsafeRawBufferPointer) throws(JSONReadError) in }) { (_: UInt8) throws(JSONReadError) in }
    }

    /// Reads a string: runs of plain bytes go to `plain` straight from the buffer, decoded
    /// escapes to `sink` one byte of UTF-8 at a time.
    private func scanString(
        at path: String, plain: (UnsafeRawBufferPointer) throws(JSONReadError) -> Void, _ sink: (UInt8) throws(JSONReadError) -> Void
    ) throws(JSONReadError) {
        try expect(0x22, "a string", at: path)
        while true {
            guard try peekByte() != nil else { throw fail("the input ends inside a string", at: path) }
            // The run of bytes that need no decoding, within the buffer.
            let runStart = position
            if let base = UnsafeRawPointer(buffer.baseAddress) {
                var p = position
                let stop = end
                while p < stop {
                    let c = base.load(fromByteOffset: p, as: UInt8.self)
                    if c == 0x22 || c == 0x5C || c < 0x20 { break }
                    p += 1
                }
                position = p
            }
            if position > runStart { try plain(UnsafeRawBufferPointer(rebasing: buffer[runStart..<position])) }
            if position == end { continue }
            guard let b = try nextByte() else { throw fail("the input ends inside a string", at: path) }
            switch b {
            case 0x22:
                return
            case 0x5C:
                guard let e = try nextByte() else { throw fail("the input ends inside a string", at: path) }
                switch e {
                case 0x22, 0x5C, 0x2F: try sink(e)
                case 0x62: try sink(0x08)
                case 0x66: try sink(0x0C)
                case 0x6E: try sink(0x0A)
                case 0x72: try sink(0x0D)
                case 0x74: try sink(0x09)
                case 0x75:
                    var scalar = try hex4(at: path)
                    if (0xD800...0xDBFF).contains(scalar) {
                        // A high surrogate: a low one must follow to make one scalar.
                        if try peekByte() == 0x5C {
                            position += 1
                            guard try nextByte() == 0x75 else { throw fail("a lone UTF-16 surrogate in a string", at: path) }
                            let low = try hex4(at: path)
                            guard (0xDC00...0xDFFF).contains(low) else { throw fail("a lone UTF-16 surrogate in a string", at: path) }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scalar = 0xFFFD
                        }
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        scalar = 0xFFFD
                    }
                    for u in String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8 { try sink(u) }
                default:
                    throw fail("an invalid escape \\\(Character(Unicode.Scalar(e))) in a string", at: path)
                }
            case 0x00...0x1F:
                throw fail("a raw control character (byte 0x\(String(b, radix: 16))) in a string", at: path)
            default:
                try sink(b)
            }
        }
    }

    private func hex4(at path: String) throws(JSONReadError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let h = try nextByte() else { throw fail("the input ends inside a string", at: path) }
            let d: UInt32
            switch h {
            case 0x30...0x39: d = UInt32(h - 0x30)
            case 0x41...0x46: d = UInt32(h - 0x41 + 10)
            case 0x61...0x66: d = UInt32(h - 0x61 + 10)
            default: throw fail("an invalid \\u escape in a string", at: path)
            }
            v = v << 4 | d
        }
        return v
    }

    /// Reads a number's text (validated against JSON's grammar), at most 64 bytes kept.
    private func numberText(at path: String) throws(JSONReadError) -> (text: String, integral: Bool) {
        var kept: [UInt8] = []
        var length = 0
        func take() throws(JSONReadError) -> UInt8? {
            let b = try nextByte()
            if let b { length += 1; if kept.count < 64 { kept.append(b) } }
            return b
        }
        func digits() throws(JSONReadError) -> Int {
            var n = 0
            while let b = try peekByte(), (0x30...0x39).contains(b) { _ = try take(); n += 1 }
            return n
        }
        var integral = true
        if try skipWhitespace() == 0x2D { _ = try take() }
        let first = try peekByte()
        guard let first, (0x30...0x39).contains(first) else { throw fail("expected a number, found \(Self.shown(first))", at: path) }
        if first == 0x30 {
            _ = try take()
            if let b = try peekByte(), (0x30...0x39).contains(b) { throw fail("a number with a leading zero", at: path) }
        } else {
            _ = try digits()
        }
        if try peekByte() == 0x2E {
            _ = try take()
            integral = false
            guard try digits() > 0 else { throw fail("a number with no digit after '.'", at: path) }
        }
        if let e = try peekByte(), e == 0x65 || e == 0x45 {
            _ = try take()
            integral = false
            if let s = try peekByte(), s == 0x2B || s == 0x2D { _ = try take() }
            guard try digits() > 0 else { throw fail("a number with no digit in its exponent", at: path) }
        }
        var text = String(decoding: kept, as: UTF8.self)
        if length > kept.count { text += "... (\(length) characters)" }
        return (text, integral)
    }

    /// Reads a whole number: `1.5`, `1e3` and numbers beyond Int64 are refused, saying so.
    func readInteger(at path: String) throws(JSONReadError) -> Int64 {
        guard try kind(at: path) == .number else {
            throw fail("expected a whole number, found \(describeNext(at: path))", at: path)
        }
        let (text, integral) = try numberText(at: path)
        guard integral else {
            if text.contains(".") { throw fail("\(text) is not a whole number", at: path) }
            throw fail("\(text) has an exponent: write whole numbers in plain digits (such as 42)", at: path)
        }
        guard let n = Int64(text) else { throw fail("\(text) is out of range (beyond \(Int64.min)...\(Int64.max))", at: path) }
        return n
    }

    /// Checks that `bytes` hold one JSON value (whitespace around it), whose numbers at the
    /// given top-level keys are whole numbers; returns the first problem, or `nil`. Foundation's
    /// decoder says only "not valid JSON" for `1.5` where it wants an integer, or for `1e400`.
    static func diagnose(_ bytes: [UInt8], integerKeys: Set<String>) -> JSONReadError? {
        let r = JSONReader(bytes: bytes)
        do throws(JSONReadError) {
            if try r.peekByte() == 0xEF { for _ in 0..<3 { _ = try r.nextByte() } }
            if try r.kind(at: "") == .object {
                try r.readObject(at: "") { (key: String) throws(JSONReadError) in
                    if integerKeys.contains(key), try r.kind(at: key) == .number {
                        _ = try r.readInteger(at: key)
                    } else {
                        try r.skipValue(at: key)
                    }
                }
            } else {
                try r.skipValue(at: "")
            }
            if let b = try r.skipWhitespace() { throw r.fail("\(shown(b)) after the end of the JSON value") }
            return nil
        } catch {
            return error
        }
    }

    /// Reads `true` or `false`.
    func readBool(at path: String) throws(JSONReadError) -> Bool {
        switch try skipWhitespace() {
        case 0x74: try literal("true", at: path); return true
        case 0x66: try literal("false", at: path); return false
        default: throw fail("expected true or false, found \(describeNext(at: path))", at: path)
        }
    }

    /// Consumes `null` when it comes next; returns whether it did.
    func readNullIfPresent(at path: String) throws(JSONReadError) -> Bool {
        guard try skipWhitespace() == 0x6E else { return false }
        try literal("null", at: path)
        return true
    }

    private func literal(_ word: String, at path: String) throws(JSONReadError) {
        for expected in word.utf8 {
            guard try nextByte() == expected else { throw fail("expected \(word)", at: path) }
        }
    }

    /// What the next value is, for messages ("a string", "1.5").
    func describeNext(at path: String) -> String {
        switch try? kind(at: path) {
        case .object?: return "an object"
        case .array?: return "an array"
        case .string?: return "a string"
        case .bool?: return "true or false"
        case .null?: return "null"
        case .number?: return "a number"
        case nil: return "something else"
        }
    }

    /// Skips one value of any kind, checking its syntax, in constant memory (but for one flag
    /// per open container, at most ``maxDepth``).
    func skipValue(at path: String) throws(JSONReadError) {
        var open: [Bool] = []  // for each open container: is it an object?
        func keyAndColon() throws(JSONReadError) {
            let b = try skipWhitespace()
            guard b == 0x22 else { throw fail("expected a key in quotes, found \(Self.shown(b))", at: path) }
            try skipString(at: path)
            try expect(0x3A, "':' after a key", at: path)
        }
        while true {
            // A value starts here.
            switch try kind(at: path) {
            case .object, .array:
                guard open.count < Self.maxDepth else { throw fail("containers nested more than \(Self.maxDepth) deep", at: path) }
                let object = try nextByte() == 0x7B
                if try skipWhitespace() == (object ? 0x7D : 0x5D) {
                    position += 1
                } else {
                    open.append(object)
                    if object { try keyAndColon() }
                    continue
                }
            case .string: try skipString(at: path)
            case .number: _ = try numberText(at: path)
            case .bool: _ = try readBool(at: path)
            case .null: _ = try readNullIfPresent(at: path)
            }
            // A value has ended: close containers until one goes on with another value.
            while let object = open.last {
                let b = try skipWhitespace()
                if b == 0x2C {
                    position += 1
                    if object { try keyAndColon() }
                    break
                }
                guard b == (object ? 0x7D : 0x5D) else {
                    throw fail("expected ',' or '\(object ? "}" : "]")', found \(Self.shown(b))", at: path)
                }
                position += 1
                open.removeLast()
            }
            if open.isEmpty { return }
        }
    }
}

/// Why JSON could not be read: where (a path such as `services[2].instances[0].counters.lines`
/// and a byte offset) and what.
public struct JSONReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var offset: Int
    public var problem: String
    /// For a report's `schemaVersion` that this build does not read: that version.
    public var unsupportedVersion: Int?

    public init(path: String, offset: Int, problem: String) {
        self.path = path
        self.offset = offset
        self.problem = problem
    }

    public var description: String { path.isEmpty ? "\(problem) (after byte \(offset))" : "\(path): \(problem)" }
}
