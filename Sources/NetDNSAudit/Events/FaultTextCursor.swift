import CNetDNSShim

/// Finds the fault texts that may sit anywhere in a message (``FaultRecognizer/anywhereNeedles``)
/// once per buffer region instead of once per line, as ``NeedleCursor`` does for one needle:
/// one `netdns_find_fault_text` pass finds the next text, and lines before it are answered
/// without searching. Slices outside the region (rebuilt or copied messages) answer `true`.
struct FaultTextCursor {
    private var regionStart: UnsafeRawPointer? = nil
    private var regionEnd: UnsafeRawPointer? = nil
    private var searchedFrom: UnsafeRawPointer? = nil
    /// The start of the first text at or after `searchedFrom`, or `regionEnd` when there is none.
    private var next: UnsafeRawPointer? = nil

    init() {}

    /// A new region of valid bytes: earlier answers are forgotten.
    mutating func reset(region: UnsafeRawBufferPointer) {
        regionStart = region.baseAddress
        regionEnd = region.baseAddress.map { $0 + region.count }
        searchedFrom = nil
        next = nil
    }

    /// Whether a text may start inside `slice`: `false` only when none certainly does (the
    /// recogniser then checks the slice itself).
    @inline(__always)
    mutating func mayOccur(in slice: UnsafeRawBufferPointer) -> Bool {
        guard let base = slice.baseAddress, let start = regionStart, let end = regionEnd,
              base >= start, base + slice.count <= end else { return true }
        if searchedFrom == nil || base < searchedFrom! || next! < base {
            searchedFrom = base
            next = netdns_find_fault_text(base, base.distance(to: end)) ?? end
        }
        // The shortest text is 6 bytes long.
        return next! + 6 <= base + slice.count
    }
}
