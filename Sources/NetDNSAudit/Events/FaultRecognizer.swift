import CNetDNSShim

/// Recognises the one-line fault texts of programs, loaders and runtimes in a message
/// (the goroutine dumps are ``GoroutineDumpTracker``'s).
///
/// Pure functions of the message bytes. Each text is matched in the shape real runs printed it
/// (docs/faults.md), anchored where the printer anchors it: the loader and container-runtime
/// texts are whole messages, the Go error texts (`fork/exec`, `x509:`, `unknown time zone`) may
/// sit anywhere inside an application's log line.
public enum FaultRecognizer {
    /// One fault a message shows.
    public struct Mention: Sendable, Equatable {
        public var kind: FaultKind
        /// For ``FaultKind/glibcVersion``: the highest version the message names.
        public var glibc: GlibcSymbolVersion?

        public init(kind: FaultKind, glibc: GlibcSymbolVersion? = nil) {
            self.kind = kind
            self.glibc = glibc
        }
    }

    /// The texts that may sit anywhere in a message (the rest are anchored at its start or end,
    /// see ``mayShowFault(_:)``). Every one-line fault that is not anchored contains one of them.
    /// (The line index and `netdns_find_fault_text` test these texts in C: CNetDNSShim's
    /// `fault_text.h` holds the same list.)
    public static let anywhereNeedles: [StaticString] = ["fork/exec ", "x509: ", "unknown time zone "]

    /// The length of the shortest of ``anywhereNeedles``.
    static let shortestAnywhereNeedle = anywhereNeedles.map(\.utf8CodeUnitCount).min() ?? 0

    /// A cheap test: false only when the message certainly shows no one-line fault and starts
    /// no goroutine dump (``GoroutineDumpTracker/startsDump(_:)``), with the anywhere needles
    /// (``anywhereNeedles``) left to the caller (they are searched once per buffer region).
    /// Looks at the first four and the last few bytes.
    @inline(__always)
    public static func mayShowAnchoredFault(_ m: UnsafeRawBufferPointer) -> Bool {
        let n = m.count
        guard n >= 8, let base = m.baseAddress else { return false }
        // The first four bytes of: exec (runc, crun), stan (standard_init_linux.go), Erro
        // (musl's loader), runt (runtime: program exceeds N-thread limit, also a dump's start),
        // goro (a goroutine header), SIGQ (SIGQUIT: quit), fata (fatal error:), pani (panic:).
        if netdns_is_fault_anchor(base.loadUnaligned(as: UInt32.self)) != 0 { return true }
        // "...: not found" (busybox sh), "... or directory" (glibc's loader), and glibc's
        // version lines, which start with the program's path and end in `(required by PATH)`.
        let tail = (base + n - 8).loadUnaligned(as: UInt64.self)
        if tail == 0x646E_756F_6620_746F /* "ot found" */ || tail == 0x7972_6F74_6365_7269 /* "irectory" */ { return true }
        let first = m[0], last = m[n - 1]
        return last == 0x29 /* ) */ && (first == 0x2F /* / */ || first == 0x2E /* . */)
    }

    /// Whether the message may show a fault: the anchored test and a search for the anywhere
    /// needles (for callers without a region cursor, such as live views and tests).
    public static func mayShowFault(_ m: UnsafeRawBufferPointer) -> Bool {
        if mayShowAnchoredFault(m) { return true }
        for needle in anywhereNeedles where m.firstRange(of: needle) != nil { return true }
        return false
    }

    /// Calls `body` once for every kind of fault the message shows, in ``FaultKind`` order.
    public static func scan(_ m: UnsafeRawBufferPointer, _ body: (Mention) -> Void) {
        if isExecNotFound(m) { body(Mention(kind: .execNotFound)) }
        if isExecFormat(m) { body(Mention(kind: .execFormat)) }
        if isSharedLibraryMissing(m) { body(Mention(kind: .sharedLibraryMissing)) }
        if m.hasPrefix("Error relocating "), m.hasSuffix(": symbol not found") { body(Mention(kind: .symbolNotFound)) }
        if let version = highestGlibcVersion(m) { body(Mention(kind: .glibcVersion, glibc: version)) }
        if m.firstRange(of: "x509: certificate signed by unknown authority") != nil
            || m.firstRange(of: "x509: failed to load system roots") != nil {
            body(Mention(kind: .caCertificatesMissing))
        }
        if let at = m.firstRange(of: "unknown time zone "), at + 18 < m.count, m[at + 18] > ASCII.space {
            body(Mention(kind: .tzdataMissing))
        }
        if m.hasPrefix("runtime: program exceeds "), m.hasSuffix("-thread limit") { body(Mention(kind: .threadLimit)) }
    }

    /// The mentions of `m`, in ``FaultKind`` order.
    public static func mentions(_ m: UnsafeRawBufferPointer) -> [Mention] {
        var found: [Mention] = []
        scan(m) { found.append($0) }
        return found
    }

    // MARK: The kinds

    /// runc `exec PATH: no such file or directory`; crun `exec container process (missing dynamic
    /// library?) `PATH`: No such file or directory`; older runc `standard_init_linux.go:NNN: exec
    /// user process caused: no such file or directory` (also quoted); busybox/dash `sh: PATH: not
    /// found`; Go `fork/exec PATH: no such file or directory` anywhere in the message.
    static func isExecNotFound(_ m: UnsafeRawBufferPointer) -> Bool {
        if m.hasPrefix("exec "), m.count > 6, m[5] != ASCII.space, m.hasSuffix(": no such file or directory"),
           pathToken(m, from: 5, to: m.count - 27) {
            return true
        }
        if m.hasPrefix("exec container process (missing dynamic library?) "), m.hasSuffix(": No such file or directory") {
            return true
        }
        if m.hasPrefix("standard_init_linux.go:"), let at = m.firstRange(of: "exec user process caused"),
           m.firstRange(of: "no such file or directory", from: at) != nil {
            return true
        }
        if m.hasSuffix(": not found"), isShellNotFound(m) { return true }
        return goExecError(m, reason: ": no such file or directory")
    }

    /// `exec PATH: exec format error` (runc, Go's `fork/exec`), ``exec container process `PATH`:
    /// Exec format error`` (crun), `standard_init_linux.go:NNN: exec user process caused: exec format error`.
    static func isExecFormat(_ m: UnsafeRawBufferPointer) -> Bool {
        if m.hasPrefix("exec "), m.hasSuffix(": exec format error") { return true }
        if m.hasPrefix("exec container process "), m.hasSuffix(": Exec format error") { return true }
        if m.hasPrefix("standard_init_linux.go:"), m.firstRange(of: "exec format error") != nil { return true }
        return goExecError(m, reason: ": exec format error")
    }

    /// glibc `PROG: error while loading shared libraries: LIB: cannot open shared object file: ...`;
    /// musl `Error loading shared library LIB: No such file or directory (needed by PROG)`.
    static func isSharedLibraryMissing(_ m: UnsafeRawBufferPointer) -> Bool {
        if let at = m.firstRange(of: ": error while loading shared libraries: "),
           m.firstRange(of: ": cannot open shared object file", from: at) != nil {
            return true
        }
        return m.hasPrefix("Error loading shared library ") && m.firstRange(of: "(needed by ") != nil
    }

    /// `fork/exec PATH` + `reason`, as Go's os/exec and syscall print a failed start.
    static func goExecError(_ m: UnsafeRawBufferPointer, reason: StaticString) -> Bool {
        var from = 0
        while let at = m.firstRange(of: "fork/exec ", from: from) {
            from = at + 10
            var i = from
            let limit = min(m.count, from + 4096)
            while i < limit, m[i] > ASCII.space, m[i] != ASCII.quote { i += 1 }
            // The path ends at the reason's colon (a path may hold colons of its own).
            var colon = i
            while colon > from, m[colon - 1] != ASCII.colon { colon -= 1 }
            if colon > from + 1, m.hasPrefix(reason, at: colon - 1) { return true }
        }
        return false
    }

    /// `A: B: not found` (busybox) or `A: N: B: not found` (dash), every field one token.
    static func isShellNotFound(_ m: UnsafeRawBufferPointer) -> Bool {
        let body = m.slice(0, m.count - 11)
        var fields = 1
        var i = 0
        while i < body.count {
            let b = body[i]
            if b == ASCII.colon, i + 1 < body.count, body[i + 1] == ASCII.space {
                fields += 1
                i += 2
                continue
            }
            if b <= ASCII.space || b == ASCII.quote { return false }
            i += 1
        }
        return fields >= 2 && fields <= 3 && body.count > 0 && body[0] != ASCII.colon
    }

    /// Whether `m[from..<to]` is one path-like token (no space, no quote).
    static func pathToken(_ m: UnsafeRawBufferPointer, from: Int, to: Int) -> Bool {
        guard to > from else { return false }
        for i in from..<to where m[i] <= ASCII.space || m[i] == ASCII.quote { return false }
        return true
    }

    /// The highest ``version `GLIBC_X.Y' not found`` the message names (glibc's loader quotes with
    /// a backtick and an apostrophe), or `nil`.
    static func highestGlibcVersion(_ m: UnsafeRawBufferPointer) -> GlibcSymbolVersion? {
        var best: GlibcSymbolVersion?
        var from = 0
        while let at = m.firstRange(of: "version `GLIBC_", from: from) {
            from = at + 15
            var i = from
            while i < m.count, m[i] == 0x2E || ASCII.isDigit(m[i]) { i += 1 }
            guard m.hasPrefix("' not found", at: i), let version = GlibcSymbolVersion(numbers: Substring(m.slice(from, i).string)) else { continue }
            if best.map({ $0 < version }) ?? true { best = version }
        }
        return best
    }
}

/// A glibc symbol version such as `GLIBC_2.34` (the oldest glibc a binary runs on), as a value
/// that sorts, merges and goes on the wire; the numbers are read and compared by ``GlibcVersion``.
public struct GlibcSymbolVersion: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The numbers, `[2, 34]` for `GLIBC_2.34`.
    public var parts: [Int]

    /// Parses `2.34` (the part after `GLIBC_`).
    init?(numbers: Substring) {
        guard let parts = GlibcVersion.parse(numbers) else { return nil }
        self.parts = parts
    }

    /// Parses `GLIBC_2.34`.
    public init?(_ string: String) {
        guard string.hasPrefix("GLIBC_") else { return nil }
        self.init(numbers: string.dropFirst(6))
    }

    public var description: String { "GLIBC_" + parts.map(String.init).joined(separator: ".") }

    public static func < (a: GlibcSymbolVersion, b: GlibcSymbolVersion) -> Bool { GlibcVersion.less(a.parts, b.parts) }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = GlibcSymbolVersion(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a GLIBC_X.Y version: '\(text)'"))
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension UnsafeRawBufferPointer {
    /// Whether the bytes end with `suffix`.
    @inlinable
    func hasSuffix(_ suffix: StaticString) -> Bool {
        let n = suffix.utf8CodeUnitCount
        return count >= n && hasPrefix(suffix, at: count - n)
    }
}
