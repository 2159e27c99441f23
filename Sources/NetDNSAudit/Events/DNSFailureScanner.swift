import CNetDNSShim

/// Finds DNS error texts (`lookup NAME[ on SERVER]: REASON`) anywhere in a message.
///
/// Precision matters more than recall: `lookup` must start a word, the name must be one token,
/// and a server-less error counts only when its reason is a text Go or libc really prints.
/// This keeps "cache lookup failed", stack frames and other runtimes' errors out.
public enum DNSFailureScanner {
    /// Calls `body` for every DNS failure mentioned in `message`, in order.
    public static func scan(_ message: UnsafeRawBufferPointer, _ body: (DNSFailure) -> Void) {
        scanMentions(message) { body($0.failure) }
    }

    /// Calls `body` for every DNS failure mentioned in `message`, in order, as byte ranges of
    /// `message` (no copy: the hot path of failure-heavy logs).
    @inline(__always)
    public static func scanMentions(_ message: UnsafeRawBufferPointer, _ body: (DNSMention) -> Void) {
        scanMentions(message, from: 0, body)
    }

    /// ``scanMentions(_:_:)`` when no `lookup ` starts before offset `from` (what the triage's
    /// cursor knows of the line), so the search starts there.
    @inline(__always)
    static func scanMentions(_ message: UnsafeRawBufferPointer, from start: Int, _ body: (DNSMention) -> Void) {
        var from = start
        while let hit = nextNeedle(message, from: from) {
            from = hit + 7
            if hit > 0 && ASCII.isWordByte(message[hit - 1]) { continue }
            if let (mention, end) = parseMention(message, nameStart: hit + 7) {
                body(mention)
                from = end
            }
        }
    }

    /// The offset of the first DNS failure mention (`lookup NAME ...`) in `message`, or `nil`.
    public static func firstMentionOffset(_ message: UnsafeRawBufferPointer) -> Int? {
        var from = 0
        while let hit = nextNeedle(message, from: from) {
            from = hit + 7
            if hit > 0 && ASCII.isWordByte(message[hit - 1]) { continue }
            if parseMention(message, nameStart: hit + 7) != nil { return hit }
        }
        return nil
    }

    /// The offset of the next `lookup ` at or after `from`: tested in place first (the triage's
    /// cursor usually starts the search right at it), then searched on its two rare bytes.
    @inline(__always)
    static func nextNeedle(_ m: UnsafeRawBufferPointer, from: Int) -> Int? {
        if from >= 0, m.count - from >= 8, let base = m.baseAddress,
           base.loadUnaligned(fromByteOffset: from, as: UInt64.self) & 0x00FF_FFFF_FFFF_FFFF == lookupWord {
            return from
        }
        return m.firstRange(of: MessageTriage.failureNeedleText, from: from, rareIndices: MessageTriage.failureNeedleRareIndices)
    }

    /// `lookup ` as the low seven bytes of a little-endian word.
    static let lookupWord: UInt64 = 0x0020_7075_6B6F_6F6C

    /// Whether the message mentions any DNS failure.
    public static func containsFailure(_ message: UnsafeRawBufferPointer) -> Bool {
        var found = false
        scan(message) { _ in found = true }
        return found
    }

    /// The longest host name or address accepted.
    static let maximumNameLength = 512

    /// Parses the text after `lookup `; returns the mention and the offset where it ends.
    static func parseMention(_ m: UnsafeRawBufferPointer, nameStart: Int) -> (DNSMention, Int)? {
        // NAME runs to ": " or " on ". IPv6 addresses contain colons, but never ": ".
        var i = nameStart
        var nameEnd = -1
        var serverRange: (Int, Int)? = nil
        let limit = min(m.count, nameStart + maximumNameLength)
        while i < limit {
            // Most bytes of a name are none of the ones tested below: skipped eight at a time.
            i = skipNameBytes(m, from: i, limit: limit)
            guard i < limit else { break }
            let b = m[i]
            if b == ASCII.colon, i + 1 < m.count, m[i + 1] == ASCII.space {
                nameEnd = i
                break
            }
            if b == ASCII.space {
                guard m.hasPrefix(" on ", at: i) else { return nil }
                nameEnd = i
                // SERVER runs to ": ".
                let serverStart = i + 4
                var j = serverStart
                let serverLimit = min(m.count, serverStart + 128)
                while j < serverLimit {
                    // The name's stop bytes and DEL, which a server may hold, skipped eight at a time.
                    j = skipNameBytes(m, from: j, limit: serverLimit)
                    guard j < serverLimit else { break }
                    let c = m[j]
                    if c == ASCII.colon, j + 1 < m.count, m[j + 1] == ASCII.space { break }
                    if c <= ASCII.space || c == ASCII.quote || c == ASCII.backslash { return nil }
                    j += 1
                }
                guard j < serverLimit, j > serverStart, isServerAddress(m.slice(serverStart, j)) else { return nil }
                serverRange = (serverStart, j)
                i = j
                break
            }
            if b < ASCII.space || b == ASCII.quote || b == ASCII.backslash || b == 0x7F { return nil }
            i += 1
        }
        guard nameEnd > nameStart, i < m.count else { return nil }
        let reasonStart = i + 2
        guard let (reason, libc, reasonEnd) = classifyReason(m, at: reasonStart) else {
            // A Go resolver error we have no name for is still a DNS failure when a server is named.
            guard serverRange != nil, reasonStart < m.count else { return nil }
            let mention = DNSMention(
                name: m.slice(nameStart, nameEnd),
                server: serverRange.map { m.slice($0.0, $0.1) },
                failureClass: .other, shape: .serverNamed, libc: nil)
            return (mention, reasonStart)
        }
        let shape: FailureShape
        if serverRange != nil {
            shape = .serverNamed
        } else if libc != nil {
            shape = .libcText
        } else if reason == .nxdomain {
            shape = .ambiguousNoSuchHost
        } else {
            shape = .serverlessOther
        }
        let mention = DNSMention(
            name: m.slice(nameStart, nameEnd),
            server: serverRange.map { m.slice($0.0, $0.1) },
            failureClass: reason, shape: shape, libc: serverRange == nil ? libc : nil)
        return (mention, reasonEnd)
    }

    /// Whether `b` may end a name or make it invalid: a control byte, space, `"`, `:`, `\` or DEL.
    @inline(__always)
    static func isNameStop(_ b: UInt8) -> Bool {
        // Bytes below 64: bit b of the mask (0x00...0x20, 0x22, 0x3A).
        let low: UInt64 = 0x0000_0001_FFFF_FFFF | (1 << 0x22) | (1 << 0x3A)
        return b < 64 ? (low >> UInt64(b)) & 1 != 0 : (b == ASCII.backslash || b == 0x7F)
    }

    /// The offset of the first byte in `[from, limit)` that ``isNameStop(_:)`` holds, or `limit`:
    /// 16 bytes at a time (`netdns_skip_dns_name`).
    @inline(__always)
    static func skipNameBytes(_ m: UnsafeRawBufferPointer, from: Int, limit: Int) -> Int {
        guard let base = m.baseAddress, from < limit else { return max(from, limit) }
        return from + netdns_skip_dns_name(base + from, limit - from)
    }

    /// `HOST:PORT` or `[V6]:PORT`, as Go prints the server it asked.
    /// (Digits after the last colon, read from the end: the first byte that is not a digit must
    /// be that colon.)
    static func isServerAddress(_ s: UnsafeRawBufferPointer) -> Bool {
        var i = s.count - 1
        while i >= 0, ASCII.isDigit(s[i]) { i -= 1 }
        return i >= 0 && i < s.count - 1 && s[i] == ASCII.colon
    }

    /// Texts that end a DNS error, with their class and the libc that prints them.
    static let reasonTexts: [(StaticString, FailureClass, Libc?)] = [
        ("no such host", .nxdomain, nil),
        ("server misbehaving", .servfail, nil),
        ("i/o timeout", .timeout, nil),
        ("connection refused", .refused, nil),
        ("no answer from DNS server", .other, nil),
        ("cannot unmarshal DNS message", .other, nil),
        ("lame referral", .other, nil),
        ("invalid DNS response", .other, nil),
        ("Temporary failure in name resolution", .temporary, .glibc),
        ("Name or service not known", .nxdomain, .glibc),
        ("No address associated with hostname", .nodata, .glibc),
        ("Non-recoverable failure in name resolution", .servfail, .glibc),
        ("Try again", .temporary, .musl),
        ("Name does not resolve", .nxdomain, .musl),
        ("Name has no usable address", .nodata, .musl),
        ("Non-recoverable error", .servfail, .musl),
        ("getaddrinfow: ", .other, nil),
    ]

    /// Socket-operation prefixes Go puts before a timeout or refusal: `read udp A->B:53: i/o timeout`.
    static let socketPrefixes: [StaticString] = ["read udp ", "write udp ", "dial udp ", "read tcp ", "write tcp ", "dial tcp "]

    /// Classifies the reason starting at `start`; returns the class, the libc and the end offset.
    static func classifyReason(_ m: UnsafeRawBufferPointer, at start: Int) -> (FailureClass, Libc?, Int)? {
        guard start < m.count else { return nil }
        // The first byte rules out most texts before a comparison; no reason text starts like a
        // socket operation (`r`, `w`, `d`).
        let first = m[start]
        if first == 0x72 || first == 0x77 || first == 0x64 {
            for prefix in socketPrefixes where prefix.utf8Start.pointee == first && m.hasPrefix(prefix, at: start) {
                return socketOutcome(m, start: start, after: start + prefix.utf8CodeUnitCount)
            }
            return nil
        }
        for (text, failureClass, libc) in reasonTexts where text.utf8Start.pointee == first && m.hasPrefix(text, at: start) {
            return (failureClass, libc, start + text.utf8CodeUnitCount)
        }
        return nil
    }

    /// The outcome of a socket error starting at `start` (its operation prefix ends at `after`).
    ///
    /// The error runs to its end: a quote, the next `lookup `, or 400 bytes from its start;
    /// within it, the first outcome Go prints (`i/o timeout`, `connection refused`) decides the
    /// class, else it is `other` and ends there. One pass from `start` over the bytes that may
    /// begin one of those three texts (`l`, `i`, `c`, eight at a time), each compared in place.
    static func socketOutcome(_ m: UnsafeRawBufferPointer, start: Int, after: Int) -> (FailureClass, Libc?, Int) {
        let limit = min(m.count, start + 400)
        var end = limit
        if let quote = m.slice(0, limit).firstIndex(ofByte: ASCII.quote, from: after) { end = quote }
        guard let base = m.baseAddress else { return (.other, nil, end) }
        let ones: UInt64 = 0x0101_0101_0101_0101
        @inline(__always) func zero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & 0x8080_8080_8080_8080 }
        /// What the text at `p` is: the outcome, or the next `lookup ` (then the error ends at `p`).
        @inline(__always) func outcome(at p: Int) -> (FailureClass, Libc?, Int)? {
            switch m[p] {
            case 0x6C where p + 7 <= end && m.hasPrefix(MessageTriage.failureNeedleText, at: p): return (.other, nil, p)
            case 0x69 where p + 11 <= end && m.hasPrefix("i/o timeout", at: p): return (.timeout, nil, p + 11)
            case 0x63 where p + 18 <= end && m.hasPrefix("connection refused", at: p): return (.refused, nil, p + 18)
            default: return nil
            }
        }
        var i = start
        while i + 8 <= end {
            let x = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // Candidates: every `l`, `i` and `c` (and, past a true one, a few others: each is tested).
            var flags = zero(x ^ (ones &* 0x6C)) | zero(x ^ (ones &* 0x69)) | zero(x ^ (ones &* 0x63))
            while flags != 0 {
                if let found = outcome(at: i + flags.trailingZeroBitCount >> 3) { return found }
                flags &= flags &- 1
            }
            i += 8
        }
        while i < end {
            if let found = outcome(at: i) { return found }
            i += 1
        }
        return (.other, nil, end)
    }
}
