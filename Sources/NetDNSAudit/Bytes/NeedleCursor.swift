import CNetDNSShim

/// Finds a needle once per buffer region instead of once per line.
///
/// The line splitter announces each region of valid bytes (``reset(region:)``); lines are then
/// slices of it. ``mayOccur(in:)`` answers whether the needle lies inside a slice by keeping the
/// next occurrence at or after the last slice asked about: one `memmem` over the region finds it,
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

    init(_ needle: StaticString) { self.needle = needle }

    /// A new region of valid bytes: earlier answers are forgotten.
    mutating func reset(region: UnsafeRawBufferPointer) {
        regionStart = region.baseAddress
        regionEnd = region.baseAddress.map { $0 + region.count }
        searchedFrom = nil
        next = nil
    }

    /// Whether the needle may occur inside `slice`: `false` only when it certainly does not.
    @inline(__always)
    mutating func mayOccur(in slice: UnsafeRawBufferPointer) -> Bool {
        guard let base = slice.baseAddress, let start = regionStart, let end = regionEnd,
              base >= start, base + slice.count <= end else { return true }
        let n = needle.utf8CodeUnitCount
        if searchedFrom == nil || base < searchedFrom! || next! < base {
            searchedFrom = base
            if let hit = memmem(base, end - base, needle.utf8Start, n) {
                next = UnsafeRawPointer(hit)
            } else {
                next = end
            }
        }
        return next! + n <= base + slice.count
    }
}
