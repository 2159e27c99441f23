/// Progress of a batch analysis, for a progress display: sent through
/// ``AnalyzerOptions/progress`` from the read loop, about once per MiB read and at the end of
/// each input.
public struct ProgressTick: Sendable, Equatable {
    /// Bytes read since the previous tick of the same input (ticks of parallel inputs
    /// interleave, so a receiver adds them up).
    public var newBytes: Int

    public init(newBytes: Int) { self.newBytes = newBytes }
}

/// A ``ByteSource`` that reports how much was read through a progress callback.
struct ProgressCountingSource<Base: ByteSource>: ByteSource {
    var base: Base
    let progress: (@Sendable (ProgressTick) -> Void)?
    var unreported = 0
    static var reportEvery: Int { 1 << 20 }

    init(base: Base, progress: (@Sendable (ProgressTick) -> Void)?) {
        self.base = base
        self.progress = progress
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let n = try base.read(into: buffer)
        if let progress {
            unreported += n
            if unreported >= Self.reportEvery || (n == 0 && unreported > 0) {
                progress(ProgressTick(newBytes: unreported))
                unreported = 0
            }
        }
        return n
    }

    /// Reports bytes not reported yet (after a read error).
    mutating func flush() {
        if let progress, unreported > 0 { progress(ProgressTick(newBytes: unreported)) }
        unreported = 0
    }

    mutating func close() { base.close() }
}
