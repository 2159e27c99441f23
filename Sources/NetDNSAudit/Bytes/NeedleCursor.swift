import CNetDNSShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds a needle once per buffer region instead of once per line.
///
/// The reader announces each region of valid bytes (``reset(region:)``); lines are then
/// slices of it. ``mayOccur(in:)`` answers whether the needle lies inside a slice by keeping the
/// next occurrence at or after the last slice asked about: one search over the region finds it,
/// and lines before it are answered without searching. Slices outside the region (rebuilt or
/// copied messages) always answer `true`, so callers then search the slice itself.
struct NeedleCursor {
    let needle: StaticString
    private var regionStart: UnsafeRawPointer? = nil
    private var regionEnd: UnsafeRawPointer? = nil
    /// Where the last search started.
    private var searchedFrom: UnsafeRawPointer? = nil
    /// The first occurrence at or after `searchedFrom`, or `regionEnd` when there is none.
    private var next: UnsafeRawPointer? = nil

    /// Two needle bytes, rare in logs, tested first at every position (see `netdns_find_pair`).
    let rareIndices: (Int, Int)

    init(_ needle: StaticString, rareIndices: (Int, Int)) {
        self.needle = needle
        self.rareIndices = rareIndices
    }

    /// The first occurrence of `needle` in `[from, to)`.
    static func find(_ needle: StaticString, rareIndices: (Int, Int), from: UnsafeRawPointer, to end: UnsafeRawPointer) -> UnsafeRawPointer? {
        guard from < end else { return nil }
        return netdns_find_pair(from, from.distance(to: end), needle.utf8Start, needle.utf8CodeUnitCount,
                                rareIndices.0, rareIndices.1)
    }

    /// A new region of valid bytes: earlier answers are forgotten.
    mutating func reset(region: UnsafeRawBufferPointer) {
        regionStart = region.baseAddress
        regionEnd = region.baseAddress.map { $0 + region.count }
        searchedFrom = nil
        next = nil
    }

    /// Takes what a search elsewhere found: no occurrence starts in `[from, next)`, and `next`
    /// is an occurrence or the end of what was searched (so a later answer about a slice that
    /// goes past it is `true`, to be safe).
    @inline(__always)
    mutating func assume(from: UnsafeRawPointer, next: UnsafeRawPointer) {
        searchedFrom = from
        self.next = next
    }

    /// Whether the needle may occur inside `slice`: `false` only when it certainly does not.
    @inline(__always)
    mutating func mayOccur(in slice: UnsafeRawBufferPointer) -> Bool {
        guard let base = slice.baseAddress, let start = regionStart, let end = regionEnd,
              base >= start, base + slice.count <= end else { return true }
        let n = needle.utf8CodeUnitCount
        if searchedFrom == nil || base < searchedFrom! || next! < base {
            searchedFrom = base
            next = Self.find(needle, rareIndices: rareIndices, from: base, to: end) ?? end
        }
        return next! + n <= base + slice.count
    }

    /// Where a search of `slice` for the needle may start: no occurrence begins in `slice`
    /// before the offset returned (0 when the cursor knows nothing of `slice`). Meant after
    /// ``mayOccur(in:)`` answered `true` for the same slice.
    @inline(__always)
    func searchStart(in slice: UnsafeRawBufferPointer) -> Int {
        guard let base = slice.baseAddress, let start = regionStart, let end = regionEnd,
              base >= start, base + slice.count <= end, let from = searchedFrom, let next,
              from <= base, next >= base else { return 0 }
        return min(base.distance(to: next), slice.count)
    }
}
