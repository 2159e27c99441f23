// The floor of per-line attribution on this machine: what the least per-line work costs, to
// compare with netdns-audit and rg (see docs/speed.md, Where the targets stand). Built by floor.sh.
//
//   count   the vector line index only (netdns_index_lines over mmap windows, both cores)
//   hash    + per line: find the `]` of `[pod/...]` and hash the key
//   lookup  + one open-addressing table lookup per line
//
// No timestamps, no counters beyond the table, no message checks, no output: a lower bound.
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count == 3, ["count", "hash", "lookup"].contains(arguments[2]) else {
    print("usage: LineFloor FILE count|hash|lookup")
    exit(2)
}
let variant = arguments[2]
let fd = open(arguments[1], O_RDONLY)
guard fd >= 0 else { print("cannot open \(arguments[1])"); exit(2) }
var st = stat()
fstat(fd, &st)
let size = Int(st.st_size)

final class Results: @unchecked Sendable { var lines = [Int](repeating: 0, count: 2) }
let results = Results()

@inline(__always) func hash(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(n)
    var i = 0
    while i + 8 <= n {
        let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        h = h &+ ((w &* 0xFF51_AFD7_ED55_8CCD) ^ (w >> 29))
        i += 8
    }
    if i < n, n >= 8 { h = h &+ (p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) &* 0xC4CE_B9FE_1A85_EC53) }
    h = (h ^ (h >> 32)) &* 0xD6E8_FEB8_6659_FD93
    return h ^ (h >> 29)
}

let start = DispatchTime.now().uptimeNanoseconds
DispatchQueue.concurrentPerform(iterations: 2) { job in
    // Window-aligned halves; a line cut by a window edge counts as two (a bound, not a count).
    let from = (size * job / 2) & ~0xFFFFF, to = job == 1 ? size : (size / 2) & ~0xFFFFF
    let capacity = 4096
    var tableHash = [UInt64](repeating: 0, count: capacity)
    var tableCount = [Int](repeating: 0, count: capacity)
    let newlines = UnsafeMutablePointer<UInt32>.allocate(capacity: 256)
    let hits = UnsafeMutablePointer<UInt32>.allocate(capacity: 256)
    let faults = UnsafeMutablePointer<UInt32>.allocate(capacity: 256)
    let needle: StaticString = "lookup "
    var lines = 0
    var offset = from
    while offset < to {
        let n = min(4 << 20, to - offset)
        guard let map = mmap(nil, n, PROT_READ, MAP_PRIVATE, fd, off_t(offset)) else { break }
        let base = UnsafeRawPointer(map)
        var scanFrom = 0, lineStart = 0
        while scanFrom < n {
            var scanned = 0, hitCount = 0, faultCount = 0
            // As netdns-audit indexes: 128 lines a pass, the needles and the fault texts too.
            let found = netdns_index_lines(base + scanFrom, n - scanFrom, newlines, 128, needle.utf8Start, 7, 3, 5,
                                           hits, 256, &hitCount, faults, &faultCount, &scanned)
            for k in 0..<found {
                let newline = scanFrom + Int(newlines[k])
                lines += 1
                let p = base + lineStart
                if variant != "count", newline - lineStart > 8, p.loadUnaligned(as: UInt32.self) == 0x646F_705B,
                   let close = memchr(p + 5, 0x5D, min(newline - lineStart, 600) - 5) {
                    let h = hash(p + 5, p.distance(to: UnsafeRawPointer(close)) - 5)
                    if variant == "lookup" {
                        var i = Int(truncatingIfNeeded: h) & (capacity - 1)
                        while tableHash[i] != 0 && tableHash[i] != h { i = (i + 1) & (capacity - 1) }
                        tableHash[i] = h
                        tableCount[i] += 1
                    } else {
                        tableCount[0] &+= Int(truncatingIfNeeded: h)
                    }
                }
                lineStart = newline + 1
            }
            if scanned == 0 { break }
            scanFrom += scanned
        }
        munmap(map, n)
        offset += n
    }
    results.lines[job] = lines + (tableCount.reduce(0, &+) == Int.min ? 1 : 0)
}
let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
print("\(variant): \(results.lines.reduce(0, +)) lines in \(String(Int(seconds * 1000))) ms (\(Int(Double(size) / seconds / 1e6)) MB/s)")
