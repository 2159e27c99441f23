#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Drops the run of NUL bytes a stream starts with, and counts it.
///
/// A log that starts with NULs is almost always a `copytruncate` hole: the file was cut to
/// zero while its writer kept its offset, so its next write left a sparse run of zeros before
/// the new lines. Those zeros are not content: judged as content they make the file look
/// binary (see ``InputContent/looksBinary(_:)``) and glue themselves to the first line. The
/// run is dropped before the content is judged; ``skipped`` says how long it was, so the
/// bytes read still add up.
public final class LeadingNULSkipper: ByteSource {
    var upstream: any ByteSource
    /// NUL bytes dropped (all at the start of the stream).
    public private(set) var skipped = 0
    var inHole = true

    public init(_ upstream: any ByteSource) { self.upstream = upstream }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        while true {
            let n = try upstream.read(into: buffer)
            guard inHole, n > 0, let base = buffer.baseAddress else { return n }
            var first = 0
            while first < n, buffer[first] == 0 { first += 1 }
            skipped += first
            if first == n { continue }   // all zeros: the hole goes on
            inHole = false
            if first > 0 { memmove(base, base + first, n - first) }
            return n - first
        }
    }

    public func close() { upstream.close() }
}
