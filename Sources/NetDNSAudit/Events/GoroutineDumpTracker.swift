/// Follows the goroutine dumps of one instance, line by line (one tracker per instance, so a
/// dump stays attributed to its instance whatever other instances print in between).
///
/// A dump starts at `SIGQUIT: `, `fatal error: `, `panic: `, `runtime: program exceeds ` or a
/// goroutine header (`goroutine 12 [syscall]:`, go1.27's `goroutine 4 gp=... m=3 mp=... [syscall]:`),
/// and lasts while the instance prints dump-shaped lines (frames, their `\t`file lines, headers,
/// `created by`, blank lines, register lines). In it, the tracker reports:
/// - the first frame of the cgo resolver (`net._C2func_getaddrinfo`, go1.27's `net._C_getaddrinfo`,
///   `net.cgoLookupIPCNAME`, `net.cgoLookupHostIP`, `net.cgoIPLookup`, ...): the dump is cgo evidence;
/// - each goroutine with a getaddrinfo frame (stuck in libc's resolver);
/// - the first frame of the pure-Go resolver (`net.(*Resolver).exchange`, `.tryOneName`,
///   `.goLookup...`, `net.dnsPacketRoundTrip`): pure-Go evidence; and each goroutine with one.
public struct GoroutineDumpTracker: Sendable, Equatable {
    /// What one message meant to the tracker.
    public struct Outcome: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The message is part of a dump (nothing else to look for in it).
        public static let dumpLine = Outcome(rawValue: 1 << 0)
        /// The first cgo-resolver frame of this dump.
        public static let cgoStack = Outcome(rawValue: 1 << 1)
        /// The first getaddrinfo frame of this goroutine: one more goroutine stuck in getaddrinfo.
        public static let getaddrinfoGoroutine = Outcome(rawValue: 1 << 2)
        /// The first pure-Go resolver frame of this dump.
        public static let goStack = Outcome(rawValue: 1 << 3)
        /// The first pure-Go resolver frame of this goroutine.
        public static let goResolverGoroutine = Outcome(rawValue: 1 << 4)
    }

    /// Whether a dump is going on: every message of the instance must then come here.
    public private(set) var active = false
    private var dumpCgo = false
    private var dumpGo = false
    private var goroutineGetaddrinfo = false
    private var goroutineGo = false

    public init() {}

    /// Whether `message` starts a dump (checked on messages of an instance with no dump going on).
    @inline(__always)
    public static func startsDump(_ m: UnsafeRawBufferPointer) -> Bool {
        guard m.count >= 8, let base = m.baseAddress else { return false }
        switch base.loadUnaligned(as: UInt32.self) {
        case 0x6F72_6F67: return isGoroutineHeader(m) // "goro"
        case 0x5147_4953: return m.hasPrefix("SIGQUIT: ") // "SIGQ"
        case 0x6174_6166: return m.hasPrefix("fatal error: ") // "fata"
        case 0x696E_6170: return m.hasPrefix("panic: ") // "pani"
        case 0x746E_7572: return m.hasPrefix("runtime: program exceeds ") // "runt"
        default: return false
        }
    }

    /// Follows one message of the instance.
    public mutating func consume(_ m: UnsafeRawBufferPointer) -> Outcome {
        if !active {
            guard Self.startsDump(m) else { return [] }
            active = true
            dumpCgo = false
            dumpGo = false
            goroutineGetaddrinfo = false
            goroutineGo = false
        } else if Self.startsNewDump(m) {
            dumpCgo = false
            dumpGo = false
        } else if !Self.isDumpShaped(m) {
            active = false
            return []
        }
        var outcome: Outcome = .dumpLine
        if Self.isGoroutineHeader(m) {
            goroutineGetaddrinfo = false
            goroutineGo = false
            return outcome
        }
        // Frames of package net: `net.` then the function.
        guard m.count > 8, m[0] == 0x6E, m[1] == 0x65, m[2] == 0x74, m[3] == 0x2E else { return outcome }
        if Self.isCgoResolverFrame(m) {
            if !dumpCgo { dumpCgo = true; outcome.insert(.cgoStack) }
            if !goroutineGetaddrinfo, Self.isGetaddrinfoFrame(m) {
                goroutineGetaddrinfo = true
                outcome.insert(.getaddrinfoGoroutine)
            }
        } else if Self.isGoResolverFrame(m) {
            if !dumpGo { dumpGo = true; outcome.insert(.goStack) }
            if !goroutineGo { goroutineGo = true; outcome.insert(.goResolverGoroutine) }
        }
        return outcome
    }

    /// The end of the input: a dump still going on ends.
    public mutating func finish() { active = false }

    // MARK: Line shapes

    /// A dump header inside a dump starts the next dump (a second SIGQUIT, a panic while panicking).
    static func startsNewDump(_ m: UnsafeRawBufferPointer) -> Bool {
        m.hasPrefix("SIGQUIT: ") || m.hasPrefix("panic: ")
    }

    /// `goroutine N [STATE]:` or go1.27's `goroutine N gp=0x... m=... [STATE]:`.
    static func isGoroutineHeader(_ m: UnsafeRawBufferPointer) -> Bool {
        guard m.hasPrefix("goroutine "), m.count > 11, ASCII.isDigit(m[10]) else { return false }
        var i = 11
        while i < m.count, ASCII.isDigit(m[i]) { i += 1 }
        guard i < m.count, m[i] == ASCII.space, m.last == ASCII.colon else { return false }
        return true
    }

    /// Lines a Go runtime prints inside a dump.
    static func isDumpShaped(_ m: UnsafeRawBufferPointer) -> Bool {
        guard let first = m.first else { return true }
        if first == 0x09 { return true } // "\tfile.go:NN +0x..."
        if isGoroutineHeader(m) || isFrame(m) || isRegisterLine(m) { return true }
        for prefix in dumpTexts where m.hasPrefix(prefix) { return true }
        return false
    }

    /// Other texts of a dump (headers, notes).
    static let dumpTexts: [StaticString] = [
        "created by ", "runtime stack:", "PC=", "signal arrived during", "[signal ", "...additional frames elided...",
        "fatal error: ", "runtime: ", "goroutine running on other thread", "exit status ", "SIGQUIT: ", "panic: ",
        "[originating from goroutine", "\tpanic: ",
    ]

    /// `pkg.func(args)`: a function name without spaces, an opening parenthesis, and a closing one at the end.
    static func isFrame(_ m: UnsafeRawBufferPointer) -> Bool {
        guard m.count >= 3, m.last == 0x29 /* ) */ else { return false }
        let first = m[0]
        guard (first >= 0x61 && first <= 0x7A) || (first >= 0x41 && first <= 0x5A) || first == 0x5F else { return false }
        var i = 1
        while i < m.count, m[i] != 0x28 /* ( */ || i + 1 < m.count && m[i + 1] == 0x2A /* (*T) */ {
            if m[i] <= ASCII.space { return false }
            i += 1
        }
        return i < m.count
    }

    /// `rax    0x...`: the registers a crash prints.
    static func isRegisterLine(_ m: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < m.count, i < 7, (m[i] >= 0x61 && m[i] <= 0x7A) || ASCII.isDigit(m[i]) { i += 1 }
        guard i >= 2, i < m.count, m[i] == ASCII.space else { return false }
        while i < m.count, m[i] == ASCII.space { i += 1 }
        return m.hasPrefix("0x", at: i)
    }

    /// Functions of the cgo resolver (called only when a lookup takes the cgo path).
    static let cgoResolverFrames: [StaticString] = [
        "net._C2func_", "net._Cfunc_", "net._C_", "net.cgoLookup", "net.cgoIPLookup", "net.cgoResSearch", "net.cgoResQuery",
    ]
    static let getaddrinfoFrames: [StaticString] = ["net._C2func_getaddrinfo", "net._Cfunc_getaddrinfo", "net._C_getaddrinfo"]
    /// Functions only the pure-Go resolver runs.
    static let goResolverFrames: [StaticString] = [
        "net.(*Resolver).exchange(", "net.(*Resolver).tryOneName(", "net.(*Resolver).goLookup", "net.dnsPacketRoundTrip(",
        "net.dnsStreamRoundTrip(",
    ]

    static func isCgoResolverFrame(_ m: UnsafeRawBufferPointer) -> Bool {
        cgoResolverFrames.contains { m.hasPrefix($0) }
    }

    static func isGetaddrinfoFrame(_ m: UnsafeRawBufferPointer) -> Bool {
        getaddrinfoFrames.contains { m.hasPrefix($0) }
    }

    static func isGoResolverFrame(_ m: UnsafeRawBufferPointer) -> Bool {
        goResolverFrames.contains { m.hasPrefix($0) }
    }
}
