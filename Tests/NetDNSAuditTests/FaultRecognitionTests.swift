import CNetDNSShim
import Foundation
import Testing
@testable import NetDNSAudit

/// The fault texts as real runs printed them (Scripts/faults/make-fixtures.sh recorded every one
/// of these, except the older runc wording, which is binaries.md's record of runc before 1.1).
@Suite struct FaultRecognitionTests {
    func kinds(_ text: String) -> [FaultKind] {
        var copy = text
        return copy.withUTF8 { FaultRecognizer.mentions(UnsafeRawBufferPointer($0)).map(\.kind) }
    }

    func mayShow(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { FaultRecognizer.mayShowFault(UnsafeRawBufferPointer($0)) }
    }

    @Test(arguments: [
        // runc 1.1.5, crun 1.8.1, busybox 1.35 sh, go1.27 os/exec (plain and inside JSON)
        ("exec /usr/local/bin/ledger-api: no such file or directory", FaultKind.execNotFound),
        ("exec container process (missing dynamic library?) `/usr/bin/thumbnailer`: No such file or directory", .execNotFound),
        ("/bin/sh: /app: not found", .execNotFound),
        ("2026/12/01 14:24:27 payout run failed: fork/exec /usr/local/bin/payout-runner: no such file or directory", .execNotFound),
        (#"{"level":"error","msg":"payout run failed","error":"fork/exec /usr/local/bin/payout-runner: no such file or directory"}"#, .execNotFound),
        ("standard_init_linux.go:228: exec user process caused: no such file or directory", .execNotFound),
        (#"standard_init_linux.go:211: exec user process caused "no such file or directory""#, .execNotFound),
        ("exec /ko-app/fx-rates: exec format error", .execFormat),
        ("exec container process `/app`: Exec format error", .execFormat),
        (#"{"level":"error","msg":"payout run failed","error":"fork/exec /x: exec format error"}"#, .execFormat),
        ("/usr/local/bin/tax-calc: error while loading shared libraries: libtaxcalc.so.1: cannot open shared object file: No such file or directory", .sharedLibraryMissing),
        ("Error loading shared library libtaxcalc.so.1: No such file or directory (needed by /app)", .sharedLibraryMissing),
        ("Error relocating /app: taxcalc_rate: symbol not found", .symbolNotFound),
        ("/usr/local/bin/report-gen: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by /usr/local/bin/report-gen)", .glibcVersion),
        (#"2026/12/01 14:24:37 webhook delivery failed: Get "https://127.0.0.1:35415/hooks": x509: certificate signed by unknown authority"#, .caCertificatesMissing),
        (#"{"level":"error","msg":"webhook delivery failed","attempt":1,"error":"Get \"https://127.0.0.1:35415/hooks\": tls: failed to verify certificate: x509: certificate signed by unknown authority"}"#, .caCertificatesMissing),
        (#"2026/12/01 14:30:42 webhook delivery failed: Get "https://127.0.0.1:33917/hooks": tls: failed to verify certificate: x509: failed to load system roots and no roots provided; read /etc: is a directory"#, .caCertificatesMissing),
        ("2026/12/01 14:24:39 cannot load schedule zone: unknown time zone America/Sao_Paulo", .tzdataMissing),
        ("runtime: program exceeds 12-thread limit", .threadLimit),
    ])
    func realTexts(text: String, kind: FaultKind) {
        #expect(kinds(text) == [kind], "\(text)")
        #expect(mayShow(text), "the triage must flag: \(text)")
    }

    @Test(arguments: [
        "ordinary line: request served in 12 ms",
        "exec plan ready",
        "open /etc/app.yaml: no such file or directory",
        "cache lookup failed: not found",
        "user alice not found",
        "level=info msg=\"job done\" took=3s (retry 2)",
        "exec /app: permission denied",
        "the time zone is unknown",
        "x509 certificates rotated",
        "Error relocating the office: see you Monday",
        "runtime: GOMAXPROCS=2",
        "fork/exec is how Go starts programs",
    ])
    func lookalikesAreNoFault(text: String) {
        #expect(kinds(text).isEmpty, "\(text)")
    }

    /// The perfect hash of the anchored starts takes exactly its eight words: each of them, and
    /// no other of a million random words or of the words one byte away from them.
    @Test func faultAnchorsAreExactlyTheEightWords() {
        let words = ["exec", "stan", "Erro", "runt", "goro", "SIGQ", "fata", "pani"].map { w in
            w.utf8.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
        }
        for w in words { #expect(netdns_is_fault_anchor(w) != 0) }
        let set = Set(words)
        var random = SplitMix64(seed: 41)
        var wrong = 0
        for _ in 0..<1_000_000 {
            let w = UInt32(truncatingIfNeeded: random.next())
            if (netdns_is_fault_anchor(w) != 0) != set.contains(w) { wrong += 1 }
        }
        for w in words {
            for byte in 0..<4 {
                for bit in 0..<8 {
                    let near = w ^ (UInt32(1) << UInt32(8 * byte + bit))
                    if netdns_is_fault_anchor(near) != 0 { wrong += 1 }
                }
            }
        }
        #expect(wrong == 0)
    }

    @Test func highestGlibcVersionOfALine() {
        var text = "/x: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.32' not found (required by /x) version `GLIBC_2.4' not found"
        let mentions = text.withUTF8 { FaultRecognizer.mentions(UnsafeRawBufferPointer($0)) }
        #expect(mentions.map(\.glibc?.description) == ["GLIBC_2.32"])
        #expect(GlibcSymbolVersion("GLIBC_2.34")! > GlibcSymbolVersion("GLIBC_2.4")!)
        #expect(GlibcSymbolVersion("GLIBC_2.3.4")! < GlibcSymbolVersion("GLIBC_2.34")!)
        #expect(GlibcSymbolVersion("GLIBC_") == nil)
        #expect(GlibcSymbolVersion("GLIBC_2..3") == nil)
        #expect(GlibcSymbolVersion("GLIBC_99999999999999999999") == nil)
    }

    @Test func hostileBytesNeverTrap() {
        var rng = SplitMix64(seed: 13)
        let pieces = ["exec ", "fork/exec ", ": no such file or directory", "x509: ", "unknown time zone ", "version `GLIBC_",
                      "' not found", "Error relocating ", ": not found", "\u{0}", "\u{FF}", " ", ":", "goroutine 1 [", "net._C_getaddrinfo("]
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<Int(rng.next() % 6) { text += pieces[Int(rng.next() % UInt64(pieces.count))] }
            _ = kinds(text)
            var tracker = GoroutineDumpTracker()
            text.withUTF8 { _ = tracker.consume(UnsafeRawBufferPointer($0)) }
        }
    }
}

/// The goroutine dumps of the recorded runs (Fixtures/faults/raw), read line by line.
@Suite struct GoroutineDumpTrackerTests {
    static func rawLines(_ run: String) throws -> [[UInt8]] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/faults/raw/\(run).log")
        let data = [UInt8](try Data(contentsOf: url))
        var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    struct Counts: Equatable {
        var dumpLines = 0, cgoStacks = 0, getaddrinfo = 0, goStacks = 0, goGoroutines = 0
    }

    static func track(_ lines: [[UInt8]]) -> Counts {
        var tracker = GoroutineDumpTracker()
        var c = Counts()
        for line in lines {
            let outcome = line.withUnsafeBytes { tracker.consume($0) }
            if outcome.contains(.dumpLine) { c.dumpLines += 1 }
            if outcome.contains(.cgoStack) { c.cgoStacks += 1 }
            if outcome.contains(.getaddrinfoGoroutine) { c.getaddrinfo += 1 }
            if outcome.contains(.goStack) { c.goStacks += 1 }
            if outcome.contains(.goResolverGoroutine) { c.goGoroutines += 1 }
        }
        return c
    }

    /// Counts from the recorded runs: every goroutine the program started for a lookup, and
    /// the dump lines (every line from the dump's header to the end of the output).
    @Test(arguments: [
        // run, lines before the dump, cgo dumps, goroutines in getaddrinfo, pure-Go dumps
        ("go119-cgo-sigquit", 3, 1, 6, 0),
        ("go127-cgo-sigquit", 3, 1, 5, 0),
        ("go127-cgo-sigquit-traced", 8, 1, 3, 0),
        ("go127-go-sigquit", 4, 0, 0, 1),
        ("go119-go-sigquit", 3, 0, 0, 1),
    ])
    func sigquitDumps(run: String, before: Int, cgo: Int, getaddrinfo: Int, goStacks: Int) throws {
        let lines = try Self.rawLines(run)
        let c = Self.track(lines)
        #expect(c.dumpLines == lines.count - before)
        // The fast paths' triage lets every line that starts a dump through.
        for line in lines where line.withUnsafeBytes(GoroutineDumpTracker.startsDump) {
            #expect(line.withUnsafeBytes(FaultRecognizer.mayShowAnchoredFault), "\(String(decoding: line, as: UTF8.self))")
        }
        #expect(c.cgoStacks == cgo)
        #expect(c.getaddrinfo == getaddrinfo)
        #expect(c.goStacks == goStacks)
    }

    @Test func threadLimitDumpsShowTheCgoPileUp() throws {
        for run in ["go119-thread-limit", "go127-thread-limit"] {
            let lines = try Self.rawLines(run)
            let c = Self.track(lines)
            #expect(c.cgoStacks == 1, "\(run)")
            #expect(c.getaddrinfo >= 1, "\(run)")
            #expect(c.goStacks == 0, "\(run)")
        }
    }

    @Test func anOrdinaryLineEndsTheDump() {
        var tracker = GoroutineDumpTracker()
        let lines = ["SIGQUIT: quit", "", "goroutine 12 [syscall]:", "runtime.cgocall(0x401000, 0xc00003ad98)",
                     "\truntime/cgocall.go:158 +0x5c", "net._C2func_getaddrinfo(0xc00001e1b0, 0x0, 0xc00007ef30, 0xc000014048)",
                     "2026/12/01 restarted", "net._C2func_getaddrinfo(0xc00001e1b0, 0x0)"]
        var outcomes: [GoroutineDumpTracker.Outcome] = []
        for var line in lines { outcomes.append(line.withUTF8 { tracker.consume(UnsafeRawBufferPointer($0)) }) }
        #expect(outcomes.map { $0.contains(.dumpLine) } == [true, true, true, true, true, true, false, false])
        #expect(outcomes[5].contains(.cgoStack) && outcomes[5].contains(.getaddrinfoGoroutine))
        #expect(!tracker.active)
    }
}
