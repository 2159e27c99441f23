/// A source whose first bytes are read ahead, to decide what it holds (gzip, tar, binary),
/// and then replayed, so the stream is read once and works on pipes.
///
/// An error met while reading ahead is kept and thrown after the bytes before it are replayed.
public struct PeekableSource: ByteSource {
    /// The bytes read ahead: up to the requested count, fewer only at the end of the stream
    /// or before an error.
    public let prefix: [UInt8]
    var upstream: any ByteSource
    var replayed = 0
    var deferredError: InputError?

    /// Reads up to `count` bytes of `upstream` ahead. The source owns `upstream`.
    public init(_ upstream: any ByteSource, peeking count: Int) {
        var source = upstream
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        defer { scratch.deallocate() }
        var filled = 0
        while filled < count {
            do {
                let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[filled..<count]))
                if n == 0 { break }
                filled += n
            } catch {
                deferredError = error
                break
            }
        }
        prefix = Array(scratch[0..<filled])
        self.upstream = source
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if replayed < prefix.count {
            let n = min(buffer.count, prefix.count - replayed)
            prefix.withUnsafeBytes { all in
                buffer.baseAddress!.copyMemory(from: all.baseAddress! + replayed, byteCount: n)
            }
            replayed += n
            return n
        }
        if let error = deferredError {
            deferredError = nil
            throw error
        }
        return try upstream.read(into: buffer)
    }

    /// Lends what the upstream lends, once the bytes read ahead are replayed.
    public mutating func lend(upTo limit: Int) throws(InputError) -> LentBytes? {
        guard replayed >= prefix.count, deferredError == nil else { return nil }
        return try upstream.lend(upTo: limit)
    }

    public mutating func close() {
        upstream.close()
    }
}
