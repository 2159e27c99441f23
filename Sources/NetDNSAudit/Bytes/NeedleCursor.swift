import CNetDNSShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds a needle (or one of a set of texts) once per buffer region instead of once per line.
///
/// The reader announces each region of valid bytes (``reset(region:)``); lines are then
/// slices of it. ``mayOccur(in:)`` answers whether the target lies inside a slice by keeping the
/// next occurrence at or after the last slice asked about: one search over the region finds it,
/// and lines before it are answered without searching. A line index that found the next
/// occurrence already hands it over with ``assume(from:next:)``. Slices outside the region
/// (rebuilt or copied messages) always answer `true`, so callers then search the slice itself.
struct NeedleCursor {
    /// What a cursor looks for.
    enum Target {
        /// One needle, two of its bytes (rare in logs) tested first at every position (see
        /// `netdns_find_pair`).
        case needle(StaticString, rareIndices: (Int, Int))
        /// The fault texts that may sit anywhere in a message (``FaultRecognizer/anywhereNeedles``;
        /// see `netdns_find_fault_text`).
        case faultTexts
    }

    let target: Target
    /// The length of the shortest text the target holds: a slice shorter than that past the
    /// next occurrence cannot hold it.
    private let shortest: Int
    private var regionStart: UnsafeRawPointer? = nil
    private var regionEnd: UnsafeRawPointer? = nil
    /// Where the last search started.
    private var searchedFrom: UnsafeRawPointer? = nil
    /// The first occurrence at or after `searchedFrom`, or `regionEnd` when there is none.
    private var next: UnsafeRawPointer? = nil

    init(_ needle: StaticString, rareIndices: (Int, Int)) {
        target = .needle(needle, rareIndices: rareIndices)
        shortest = needle.utf8CodeUnitCount
    }

    /// A cursor over the fault texts that may sit anywhere in a message.
    static func faultTexts() -> NeedleCursor { NeedleCursor(target: .faultTexts, shortest: FaultRecognizer.shortestAnywhereNeedle) }

    private init(target: Target, shortest: Int) {
        self.target = target
        self.shortest = shortest
    }

    /// The first occurrence of `needle` in `[from, to)`.
    static func find(_ needle: StaticString, rareIndices: (Int, Int), from: UnsafeRawPointer, to end: UnsafeRawPointer) -> UnsafeRawPointer? {
        guard from < end else { return nil }
        return netdns_find_pair(from, from.distance(to: end), needle.utf8Start, needle.utf8CodeUnitCount,
                                rareIndices.0, rareIndices.1)
    }

    /// The first occurrence of the target in `[from, to)`.
    private func find(from: UnsafeRawPointer, to end: UnsafeRawPointer) -> UnsafeRawPointer? {
        switch target {
        case .needle(let needle, let rareIndices):
            return Self.find(needle, rareIndices: rareIndices, from: from, to: end)
        case .faultTexts:
            guard from < end else { return nil }
            return netdns_find_fault_text(from, from.distance(to: end))
        }
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

    /// Whether the target may occur inside `slice`: `false` only when it certainly does not.
    @inline(__always)
    mutating func mayOccur(in slice: UnsafeRawBufferPointer) -> Bool {
        guard let base = slice.baseAddress, let start = regionStart, let end = regionEnd,
              base >= start, base + slice.count <= end else { return true }
        let known: UnsafeRawPointer
        if let from = searchedFrom, let next, base >= from, next >= base {
            known = next
        } else {
            known = find(from: base, to: end) ?? end
            searchedFrom = base
            next = known
        }
        return known + shortest <= base + slice.count
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
