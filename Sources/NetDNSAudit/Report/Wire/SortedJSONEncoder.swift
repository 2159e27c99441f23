import Foundation

/// The JSON of the saved-report wire types, byte for byte what Foundation's `JSONEncoder` writes
/// with `[.sortedKeys, .withoutEscapingSlashes]` (and `.prettyPrinted` when `pretty`), at a
/// fraction of its cost: `JSONEncoder` took a fifth to a quarter of an `analyze --format json`
/// run of a 256 MiB log (a few hundred services), most of it in its generic boxing of values.
///
/// The values go through their own `Encodable` conformances into a small tree (objects keep
/// their keys as given and are sorted by their UTF-8 bytes when written, as `JSONEncoder`
/// sorts them), which is then written out. The layout rules, as `JSONEncoder` has them:
/// pretty output indents by two spaces per level, writes `"key" : value`, one element per
/// line, and an empty object or list as its bracket, a blank line and its closing bracket at
/// the enclosing indentation; strings escape `"`, `\`, and the bytes below 0x20 (`\b`, `\f`,
/// `\n`, `\r`, `\t`, else `\u00xx` in lower-case hex), nothing else (not `/`, DEL or any
/// non-ASCII character). The wire types hold only strings, integers, booleans, optionals,
/// lists, string-keyed dictionaries and nested structures; a value of any other kind (a
/// floating-point number, a `Date`, `Data`, `URL` or `Decimal`, which `JSONEncoder` writes in
/// forms of its own) is refused with an `EncodingError`. `SortedJSONEncoderTests` holds the
/// two encoders to the same bytes.
struct SortedJSONEncoder {
    var pretty: Bool

    init(pretty: Bool) { self.pretty = pretty }

    /// `value` as JSON (no newline at the end).
    func encode<T: Encodable>(_ value: T) throws -> Data {
        let node = try JSONTreeEncoder.node(of: value, in: [], key: nil)
        var writer = JSONTreeWriter(pretty: pretty)
        writer.write(node, level: 0)
        return Data(writer.bytes)
    }
}

// MARK: The tree

/// One value of the tree: containers are reference boxes, filled while their value encodes.
private enum JSONNode {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case object(JSONObjectBox)
    case array(JSONArrayBox)
    /// A value encoded through an encoder handed out by a container (`superEncoder`, nested
    /// containers): read when the tree is written.
    case deferred(JSONTreeEncoder)
}

private final class JSONObjectBox {
    var entries: [(key: String, value: JSONNode)] = []

    /// Adds an entry (the wire types and string-keyed dictionaries encode each key once).
    func set(_ key: String, _ value: JSONNode) { entries.append((key, value)) }
}

private final class JSONArrayBox {
    var elements: [JSONNode] = []
}

// MARK: Encoding into the tree

private final class JSONTreeEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// What the value encoded, if anything yet.
    var node: JSONNode?

    init(codingPath: [any CodingKey]) { self.codingPath = codingPath }

    /// The tree of `value`, the value of `key` in the container at `parent`: scalars directly,
    /// anything else through its `encode(to:)` (the coding path is made only then, or for an
    /// error: one array per value took most of the time).
    static func node<T: Encodable>(of value: T, in parent: [any CodingKey], key: (any CodingKey)?) throws -> JSONNode {
        // Type tests, not casts: most values are strings, integers, tallies or structures.
        if T.self == String.self { return .string(unsafeBitCast(value, to: String.self)) }
        if T.self == Int.self { return .number(String(unsafeBitCast(value, to: Int.self))) }
        if T.self == Bool.self { return .bool(unsafeBitCast(value, to: Bool.self)) }
        if T.self == [String: Int].self {
            let box = JSONObjectBox()
            let tally = unsafeBitCast(value, to: [String: Int].self)
            box.entries.reserveCapacity(tally.count)
            for (k, v) in tally { box.entries.append((k, .number(String(v)))) }
            return .object(box)
        }
        if T.self == [String].self {
            let box = JSONArrayBox()
            box.elements = unsafeBitCast(value, to: [String].self).map { .string($0) }
            return .array(box)
        }
        switch value {
        case let v as Int64: return .number(String(v))
        case let v as Int32: return .number(String(v))
        case let v as Int16: return .number(String(v))
        case let v as Int8: return .number(String(v))
        case let v as UInt: return .number(String(v))
        case let v as UInt64: return .number(String(v))
        case let v as UInt32: return .number(String(v))
        case let v as UInt16: return .number(String(v))
        case let v as UInt8: return .number(String(v))
        case is Double, is Float, is Date, is Data, is URL, is Decimal:
            throw EncodingError.invalidValue(value, EncodingError.Context(
                codingPath: key.map { parent + [$0] } ?? parent, debugDescription: "SortedJSONEncoder writes no \(T.self) (JSONEncoder has a form of its own for it)"))
        default:
            let encoder = JSONTreeEncoder(codingPath: key.map { parent + [$0] } ?? parent)
            try value.encode(to: encoder)
            // A value that encodes nothing is an empty object, as with JSONEncoder.
            return encoder.node ?? .object(JSONObjectBox())
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: JSONObjectBox
        if case .object(let existing)? = node {
            box = existing
        } else {
            box = JSONObjectBox()
            node = .object(box)
        }
        return KeyedEncodingContainer(JSONKeyedContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: JSONArrayBox
        if case .array(let existing)? = node {
            box = existing
        } else {
            box = JSONArrayBox()
            node = .array(box)
        }
        return JSONUnkeyedContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { JSONSingleValueContainer(encoder: self) }
}

/// A coding key for list positions and `super`.
private struct JSONPathKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
}

private struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: JSONObjectBox
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { box.set(key.stringValue, .null) }
    mutating func encode(_ value: String, forKey key: Key) throws { box.set(key.stringValue, .string(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { box.set(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { box.set(key.stringValue, .bool(value)) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.set(key.stringValue, try JSONTreeEncoder.node(of: value, in: codingPath, key: key))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONTreeEncoder(codingPath: codingPath + [key])
        box.set(key.stringValue, .deferred(child))
        return child.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = JSONTreeEncoder(codingPath: codingPath + [key])
        box.set(key.stringValue, .deferred(child))
        return child.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: JSONPathKey(stringValue: "super")) }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key) }

    private func superEncoder(named key: any CodingKey) -> any Encoder {
        let child = JSONTreeEncoder(codingPath: codingPath + [key])
        box.set(key.stringValue, .deferred(child))
        return child
    }
}

private struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let box: JSONArrayBox
    let codingPath: [any CodingKey]
    var count: Int { box.elements.count }

    private var nextKey: JSONPathKey { JSONPathKey(intValue: box.elements.count) }
    private var nextPath: [any CodingKey] { codingPath + [nextKey] }

    mutating func encodeNil() throws { box.elements.append(.null) }
    mutating func encode(_ value: String) throws { box.elements.append(.string(value)) }
    mutating func encode(_ value: Int) throws { box.elements.append(.number(String(value))) }
    mutating func encode(_ value: Bool) throws { box.elements.append(.bool(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        box.elements.append(try JSONTreeEncoder.node(of: value, in: codingPath, key: nextKey))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONTreeEncoder(codingPath: nextPath)
        box.elements.append(.deferred(child))
        return child.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = JSONTreeEncoder(codingPath: nextPath)
        box.elements.append(.deferred(child))
        return child.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = JSONTreeEncoder(codingPath: nextPath)
        box.elements.append(.deferred(child))
        return child
    }
}

private struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let encoder: JSONTreeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.node = .null }
    mutating func encode(_ value: String) throws { encoder.node = .string(value) }
    mutating func encode(_ value: Int) throws { encoder.node = .number(String(value)) }
    mutating func encode(_ value: Bool) throws { encoder.node = .bool(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.node = try JSONTreeEncoder.node(of: value, in: encoder.codingPath, key: nil)
    }
}

// MARK: Writing the tree

private struct JSONTreeWriter {
    let pretty: Bool
    var bytes: [UInt8] = []

    init(pretty: Bool) {
        self.pretty = pretty
        bytes.reserveCapacity(4096)
    }

    mutating func write(_ node: JSONNode, level: Int) {
        switch node {
        case .string(let s): writeString(s)
        case .number(let digits): append(digits)
        case .bool(let b): append(b ? "true" : "false")
        case .null: append("null")
        case .deferred(let encoder): write(encoder.node ?? .object(JSONObjectBox()), level: level)
        case .array(let box):
            bytes.append(UInt8(ascii: "["))
            if pretty { bytes.append(0x0A) }
            for (i, element) in box.elements.enumerated() {
                if i > 0 {
                    bytes.append(UInt8(ascii: ","))
                    if pretty { bytes.append(0x0A) }
                }
                if pretty { indent(level + 1) }
                write(element, level: level + 1)
            }
            if pretty {
                bytes.append(0x0A)
                indent(level)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let box):
            bytes.append(UInt8(ascii: "{"))
            if pretty { bytes.append(0x0A) }
            let entries = box.entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (i, entry) in entries.enumerated() {
                if i > 0 {
                    bytes.append(UInt8(ascii: ","))
                    if pretty { bytes.append(0x0A) }
                }
                if pretty { indent(level + 1) }
                writeString(entry.key)
                if pretty { append(" : ") } else { bytes.append(UInt8(ascii: ":")) }
                write(entry.value, level: level + 1)
            }
            if pretty {
                bytes.append(0x0A)
                indent(level)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private static let spaces = [UInt8](repeating: 0x20, count: 64)

    private mutating func indent(_ level: Int) {
        var rest = 2 * level
        while rest > 0 {
            let k = min(rest, Self.spaces.count)
            Self.spaces.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<k])) }
            rest -= k
        }
    }

    private mutating func append(_ ascii: String) {
        bytes.append(contentsOf: ascii.utf8)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// `s` quoted: runs of bytes that need no escape are copied whole.
    private mutating func writeString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = s
        text.withUTF8 { utf8 in
            var start = 0
            for (i, b) in utf8.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                bytes.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(b)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), Self.hex[Int(b >> 4)], Self.hex[Int(b & 0x0F)]])
                }
                start = i + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
