/// Handing unfinished torn trace lines from one byte range of a file to the next.
extension StreamAnalyzer {
    /// A torn `hostLookupOrder(` start still waiting for its rest at the end of a range.
    public struct CarriedTorn: Sendable, Equatable {
        public var envelopeIndex: Int
        public var key: [UInt8]
        public var direction: LookupDirection
        public var fragment: [UInt8]
        public var age: Int
    }

    /// An envelope holding pieces of a message at the end of a range, with its index.
    struct CarriedPieces: @unchecked Sendable {
        var envelope: any LineDecoder
        var envelopeIndex: Int
    }

    /// Continues the pieces an earlier range's envelope held: its envelope decodes this range.
    func seed(_ pieces: CarriedPieces?) {
        guard let pieces, pieces.envelopeIndex == selector.index else { return }
        selector.current = pieces.envelope
    }

    /// Makes the instances of `carried` wait for the rest of their torn lines, as if the lines
    /// before this range had been read by this analyzer.
    public func seed(_ carried: [CarriedTorn]) {
        for torn in carried {
            let bucket = torn.key.withUnsafeBytes { (key: UnsafeRawBufferPointer) -> Int in
                recorder.bucket(for: key, envelopeIndex: torn.envelopeIndex) {
                    selector.identity(forKey: $0, envelopeIndex: torn.envelopeIndex)
                }
            }
            recorder.table.setPendingTorn(.init(direction: torn.direction, fragment: torn.fragment, age: torn.age),
                                          slot: recorder.table.slot(ofBucket: bucket))
        }
    }
}
