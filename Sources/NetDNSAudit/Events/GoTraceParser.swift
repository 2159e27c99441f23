/// Parses the lines Go's net package prints under `GODEBUG=netdns=...`.
///
/// Works on the message bytes after the envelope is removed. Known lines of go1.19 and
/// go1.27 are recognised exactly; unknown `go package net:` lines are reported as
/// ``TraceEvent/unrecognised`` rather than dropped.
public enum GoTraceParser {
    /// The prefix every trace line starts with.
    public static let prefix: StaticString = "go package net: "

    /// Whether the message is a trace line.
    @inlinable
    public static func isTrace(_ message: UnsafeRawBufferPointer) -> Bool {
        message.hasPrefix(prefix)
    }

    /// Parses a message known to start with ``prefix``.
    public static func parse(_ message: UnsafeRawBufferPointer) -> TraceEvent {
        let body = message.slice(prefix.utf8CodeUnitCount, message.count).trimmingTrailingWhitespace()
        if body.hasPrefix("hostLookupOrder(") {
            return parseOrder(body.slice(16, body.count), function: .host)
        }
        if body.hasPrefix("addrLookupOrder(") {
            return parseOrder(body.slice(16, body.count), function: .addr)
        }
        if body.hasPrefix("confVal.netCgo =") {
            return parseConfVal(body)
        }
        if let decision = decision(for: body) { return .decision(decision) }
        if body.equals("GODEBUG=netdns contains an invalid dns mode, ignoring it") { return .invalidModeNotice }
        return .unrecognised
    }

    /// The decision a decision line names, in either wording.
    static func decision(for body: UnsafeRawBufferPointer) -> ResolverDecision? {
        if body.equals("dynamic selection of DNS resolver") { return .dynamic }
        if body.equals("using the Go DNS resolver") { return .goBuild }
        if body.equals("built with netgo build tag; using Go's DNS resolver") { return .goBuild }
        if body.equals("GODEBUG setting forcing use of the Go resolver") { return .goForced }
        if body.equals("GODEBUG setting forcing use of Go's resolver") { return .goForced }
        if body.equals("cgo resolver not supported; using Go's DNS resolver") { return .goNoCgo }
        if body.equals("ignoring GODEBUG=netdns=cgo as the binary was compiled without support for the cgo resolver") {
            return .goIgnoringCgo
        }
        if body.equals("using the cgo DNS resolver") { return .cgoBuild }
        if body.equals("using cgo DNS resolver") { return .cgoBuild }
        if body.equals("GODEBUG setting forcing use of the cgo resolver") { return .cgoForced }
        if body.equals("GODEBUG setting forcing use of cgo resolver") { return .cgoForced }
        return nil
    }

    enum OrderFunction { case host, addr }

    /// Parses `NAME) = ORDER` after the opening parenthesis.
    static func parseOrder(_ rest: UnsafeRawBufferPointer, function: OrderFunction) -> TraceEvent {
        if let (nameLength, order) = splitNameAndOrder(rest) {
            let direction: LookupDirection = (function == .addr || nameLength == 0) ? .reverse : .forward
            return .order(direction, order)
        }
        let direction: LookupDirection = function == .addr ? .reverse : .forward
        return .tornOrderStart(direction, fragment: Array(rest))
    }

    /// The name of a complete `hostLookupOrder(NAME) = ORDER` message (after the envelope), or
    /// `nil` for any other message.
    public static func orderName(_ message: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        let start = prefix.utf8CodeUnitCount + 16
        guard message.hasPrefix(prefix), message.hasPrefix("hostLookupOrder(", at: prefix.utf8CodeUnitCount) else { return nil }
        let rest = message.slice(start, message.count).trimmingTrailingWhitespace()
        guard let (nameLength, _) = splitNameAndOrder(rest) else { return nil }
        return rest.slice(0, nameLength)
    }

    /// Splits `NAME) = ORDER` into the name's length and a valid order, or `nil` when the text
    /// is not exactly that shape (a torn line).
    ///
    /// The name holds no space, so the first `) = ` is the one its first space is in: one
    /// `memchr` for that space, then the bytes around it (no search for `) = `).
    static func splitNameAndOrder(_ rest: UnsafeRawBufferPointer) -> (Int, LookupOrder)? {
        guard let space = rest.firstIndex(ofByte: ASCII.space), space >= 1, space + 3 <= rest.count,
              rest[space - 1] == 0x29, rest[space + 1] == 0x3D, rest[space + 2] == ASCII.space else { return nil }
        let close = space - 1
        guard let order = validOrder(rest.slice(close + 4, rest.count)) else { return nil }
        return (close, order)
    }

    /// The order when the bytes are exactly an order value Go prints.
    @inline(__always)
    static func validOrder(_ text: UnsafeRawBufferPointer) -> LookupOrder? { LookupOrder.read(text) }

    static func parseConfVal(_ body: UnsafeRawBufferPointer) -> TraceEvent {
        /// The boolean after `key` and any spaces, read from the bytes.
        func flag(after key: StaticString) -> Bool? {
            guard var i = body.firstRange(of: key) else { return nil }
            i += key.utf8CodeUnitCount
            while i < body.count, body[i] == ASCII.space { i += 1 }
            if body.hasPrefix("true", at: i) { return true }
            if body.hasPrefix("false", at: i) { return false }
            return nil
        }
        return .confVal(netCgo: flag(after: "netCgo ="), netGo: flag(after: "netGo ="))
    }

    /// Tries to finish a torn order line with a later line of the same writer.
    ///
    /// - Parameters:
    ///   - fragment: what followed `hostLookupOrder(` on the torn line.
    ///   - continuation: the later line.
    /// - Returns: the order of the rebuilt line, or `nil` when `continuation` does not finish it.
    public static func rebuild(fragment: [UInt8], continuation: UnsafeRawBufferPointer) -> LookupOrder? {
        let line = continuation.trimmingTrailingWhitespace()
        // The name (or its rest) came later: `NAME) = ORDER` or `) = ORDER`.
        if let (_, order) = splitNameAndOrder(line) { return order }
        return fragment.withUnsafeBytes { frag -> LookupOrder? in
            // The order came later: the fragment holds `NAME) = ` before the foreign text.
            if let close = frag.firstRange(of: ") = "), frag.slice(0, close).firstIndex(ofByte: ASCII.space) == nil,
               let order = validOrder(line) {
                _ = close
                return order
            }
            // Only the newline came later: the fragment holds `NAME) = ORDER` before the foreign text.
            if line.count == 0, let close = frag.firstRange(of: ") = "),
               frag.slice(0, close).firstIndex(ofByte: ASCII.space) == nil {
                let tail = frag.slice(close + 4, frag.count)
                for candidate in ["files,dns", "dns,files", "files", "dns", "cgo"] where tail.string.hasPrefix(candidate) {
                    return LookupOrder(rawValue: candidate)
                }
            }
            return nil
        }
    }

    /// Whether a line looks like the tail of a torn order line (`NAME) = ORDER`) although no torn
    /// start is pending: such a line is counted as torn, not as ordinary output.
    /// The cheap test is inlined (most lines fail it: no call per line); the rest is not.
    @inline(__always)
    public static func isOrphanContinuation(_ line: UnsafeRawBufferPointer) -> Bool {
        mayEndLikeOrder(line) && splitsLikeOrder(line)
    }

    @inline(never)
    static func splitsLikeOrder(_ line: UnsafeRawBufferPointer) -> Bool {
        splitNameAndOrder(line.trimmingTrailingWhitespace()) != nil
    }

    /// The cheap first test of ``isOrphanContinuation(_:)``, on the last non-blank byte only:
    /// every valid order ends in `dns`, `files`, `cgo` or `??`, and most lines fail it.
    @inline(__always)
    static func mayEndLikeOrder(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let last = line.trimmingTrailingWhitespace().last else { return false }
        return last == 0x73 || last == 0x6F || last == 0x3F
    }
}
