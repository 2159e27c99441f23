import Foundation

/// Writes the saved report's JSON (``WireDocument`` and its parts, each writing its own keys
/// through ``WireJSONValue``), pretty-printed (`--format json`) or on one line (`json-line`).
///
/// The bytes are those Foundation's `JSONEncoder` wrote for these types with `.sortedKeys`,
/// `.withoutEscapingSlashes` (and `.prettyPrinted`), which the frozen reports and expected
/// outputs of the tests hold: keys in the order of their UTF-8 bytes (each type writes its keys
/// in that order, checked in debug builds; tallies are sorted here); pretty output indents by
/// two spaces per level, writes `"key" : value` and one element per line, and an empty object or
/// list as its bracket, a blank line and the closing bracket at the enclosing indentation;
/// strings escape `"`, `\` and the bytes below 0x20 (`\b`, `\f`, `\n`, `\r`, `\t`, else
/// `\u00xx` in lower-case hex) and nothing else. `JSONEncoder` took a fifth to a quarter of the
/// CPU of an `analyze --format json` run of a 256 MiB log with a few hundred services, most of
/// it in its generic boxing of every value.
///
/// The bytes written so far can be handed over between two values (``hand(to:atLeast:)``), so a
/// report of any size is held one piece at a time.
struct WireJSONWriter {
    private(set) var bytes: [UInt8] = []
    let pretty: Bool
    private var level = 0
    /// Whether the innermost open object or list has no element yet.
    private var empty = true
    #if DEBUG
    /// The last key of each open object, to check the order.
    private var lastKeys: [[UInt8]] = []
    #endif

    static let pieceBytes = 1 << 16

    init(pretty: Bool) {
        self.pretty = pretty
        bytes.reserveCapacity(Self.pieceBytes + Self.pieceBytes / 4)
    }

    /// Hands the bytes written so far to `write` when there are at least `minimum` of them.
    mutating func hand(to write: (Data) throws -> Void, atLeast minimum: Int = 1) throws {
        guard bytes.count >= max(minimum, 1) else { return }
        try write(Data(bytes))
        bytes.removeAll(keepingCapacity: true)
    }

    /// Appends a byte after the document (its newline).
    mutating func append(_ byte: UInt8) { bytes.append(byte) }


    // MARK: Structure

    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        open()
        #if DEBUG
        lastKeys.append([])
        #endif
    }

    mutating func endObject() {
        close()
        bytes.append(UInt8(ascii: "}"))
        #if DEBUG
        lastKeys.removeLast()
        #endif
    }

    mutating func beginArray() {
        bytes.append(UInt8(ascii: "["))
        open()
    }

    mutating func endArray() {
        close()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Starts the next element of a list.
    mutating func element() { next() }

    /// Starts the entry `key` of an object (keys come in the order of their bytes).
    mutating func key(_ key: StaticString) {
        next()
        let k = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        #if DEBUG
        checkOrder(k)
        #endif
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: k)
        bytes.append(UInt8(ascii: "\""))
        separator()
    }

    /// Starts the entry of a key read from the input (a tally's).
    mutating func key(_ key: String) {
        next()
        #if DEBUG
        Array(key.utf8).withUnsafeBufferPointer { checkOrder($0) }
        #endif
        value(key)
        separator()
    }

    private mutating func open() {
        if pretty { bytes.append(0x0A) }
        level += 1
        empty = true
    }

    private mutating func close() {
        level -= 1
        if pretty {
            bytes.append(0x0A)
            indent(level)
        }
        empty = false
    }

    private mutating func next() {
        if !empty {
            bytes.append(UInt8(ascii: ","))
            if pretty { bytes.append(0x0A) }
        }
        if pretty { indent(level) }
        empty = false
    }

    private mutating func separator() {
        if pretty {
            bytes.append(contentsOf: [0x20, UInt8(ascii: ":"), 0x20])
        } else {
            bytes.append(UInt8(ascii: ":"))
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

    #if DEBUG
    private mutating func checkOrder(_ key: UnsafeBufferPointer<UInt8>) {
        guard let last = lastKeys.last else { return }
        precondition(last.isEmpty || last.lexicographicallyPrecedes(key), "WireJSONWriter: key \(String(decoding: key, as: UTF8.self)) out of order")
        lastKeys[lastKeys.count - 1] = Array(key)
    }
    #endif

    // MARK: Values

    mutating func value(_ n: Int) {
        // The digits from the end of a 20-byte scratch (Int.min has 19 digits and a sign).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { scratch in
            var m = n.magnitude
            var i = 20
            repeat {
                i -= 1
                scratch[i] = UInt8(truncatingIfNeeded: m % 10) + 0x30
                m /= 10
            } while m > 0
            if n < 0 {
                i -= 1
                scratch[i] = UInt8(ascii: "-")
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[i..<20]))
        }
    }

    mutating func value(_ b: Bool) {
        let word: StaticString = b ? "true" : "false"
        bytes.append(contentsOf: UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// `s` quoted: runs of bytes that need no escape are copied whole.
    mutating func value(_ s: String) {
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

    mutating func value(_ list: [String]) {
        beginArray()
        for s in list {
            element()
            value(s)
        }
        endArray()
    }

    /// A tally: its keys in the order of their bytes.
    mutating func value(_ tally: [String: Int]) {
        beginObject()
        for (k, n) in tally.sorted(by: { UTF8Order.precedes($0.key, $1.key) }) {
            key(k)
            value(n)
        }
        endObject()
    }

    mutating func value<T: WireJSONValue>(_ v: T) { v.write(to: &self) }

    mutating func value<T: WireJSONValue>(_ list: [T]) {
        beginArray()
        for v in list {
            element()
            v.write(to: &self)
        }
        endArray()
    }

    // MARK: Entries

    mutating func field(_ k: StaticString, _ v: Int) { key(k); value(v) }
    mutating func field(_ k: StaticString, _ v: Bool) { key(k); value(v) }
    mutating func field(_ k: StaticString, _ v: String) { key(k); value(v) }
    mutating func field(_ k: StaticString, _ v: [String]) { key(k); value(v) }
    mutating func field(_ k: StaticString, _ v: [String: Int]) { key(k); value(v) }
    mutating func field<T: WireJSONValue>(_ k: StaticString, _ v: T) { key(k); value(v) }
    mutating func field<T: WireJSONValue>(_ k: StaticString, _ v: [T]) { key(k); value(v) }

    /// Optional entries are left out when absent.
    mutating func field(_ k: StaticString, _ v: String?) { if let v { field(k, v) } }
    mutating func field(_ k: StaticString, _ v: [String]?) { if let v { field(k, v) } }
    mutating func field(_ k: StaticString, _ v: [String: Int]?) { if let v { field(k, v) } }
    mutating func field<T: WireJSONValue>(_ k: StaticString, _ v: T?) { if let v { field(k, v) } }
}

/// A wire type written as one JSON object by ``WireJSONWriter``.
protocol WireJSONValue {
    /// Writes the object: `beginObject`, its entries in the order of their keys' bytes, `endObject`.
    func write(to json: inout WireJSONWriter)
}
