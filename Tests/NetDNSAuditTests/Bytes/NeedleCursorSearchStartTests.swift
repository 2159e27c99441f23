import Testing
@testable import NetDNSAudit

/// ``NeedleCursor/searchStart(in:)`` never skips an occurrence: for every slice of a region,
/// asked in order (as lines are) or out of order, with the cursor's own search or the line
/// index's answer, no needle starts in the slice before the offset it gives.
@Suite struct NeedleCursorSearchStartTests {
    @Test func noOccurrenceStartsBeforeTheSearchStart() {
        var rng = SplitMix64(seed: 4242)
        let pieces = ["lookup ", "lookup", "look", "up ", "x", " ", "\n", "kp", "ook"]
        for _ in 0..<300 {
            let text = (0..<rng.below(60)).map { _ in pieces[rng.below(pieces.count)] }.joined()
            let bytes = Array(text.utf8)
            bytes.withUnsafeBytes { region in
                var cursor = NeedleCursor(MessageTriage.failureNeedleText, rareIndices: MessageTriage.failureNeedleRareIndices)
                cursor.reset(region: region)
                for _ in 0..<20 {
                    let lower = rng.below(bytes.count + 1)
                    let upper = lower + rng.below(bytes.count - lower + 1)
                    let slice = region.slice(lower, upper)
                    guard slice.count > 0 else { continue }
                    let first = slice.firstRange(of: "lookup ")
                    if rng.below(3) == 0, let base = slice.baseAddress {
                        // What the line index would say: the next needle at or after the slice.
                        let next = region.firstRange(of: "lookup ", from: lower).map { region.baseAddress! + $0 } ?? base + (bytes.count - lower)
                        cursor.assume(from: base, next: next)
                    }
                    let may = cursor.mayOccur(in: slice)
                    if first != nil { #expect(may) }
                    let start = cursor.searchStart(in: slice)
                    #expect(start <= (first ?? slice.count), "\(text) \(lower)..<\(upper)")
                }
            }
        }
    }
}
