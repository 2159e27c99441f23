import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The decompressed bytes of a gzip stream read from another source, through the system zlib.
///
/// - Multi-member files (`cat a.gz b.gz`, `gzip` of appended logs) decode as one stream: after
///   the end of a member, decoding starts again on the bytes that follow. NUL padding after the
///   last member is ignored, as `gzip -d` does.
/// - A truncated or corrupt stream first yields every byte decoded before the damage, then the
///   next read throws ``InputError/corrupt(path:reason:)`` naming ``path``, so the lines before
///   the damage are analysed and the file is still reported.
///
/// Memory is bounded: one input buffer of ``inputBufferBytes`` plus zlib's 32 KiB window.
public final class GzipSource: ByteSource {
    /// The compressed bytes read from upstream per refill.
    public static let inputBufferBytes = 256 << 10

    /// The name used in errors.
    public let path: String
    var upstream: any ByteSource
    let stream: UnsafeMutablePointer<z_stream>
    let input: UnsafeMutableRawBufferPointer
    var initialised = false
    var upstreamEnded = false
    /// At the end of a member, before any byte of a following one was decoded.
    var atMemberEnd = false
    /// Set once the stream ended, cleanly or not; reads then return 0.
    var finished = false
    /// An error found after some bytes were already returned; thrown on the next read.
    var pendingError: InputError?
    /// Decompressed bytes returned so far.
    public private(set) var decodedBytes = 0
    /// Complete gzip members decoded so far.
    public private(set) var membersDecoded = 0

    /// Decodes `upstream`; `path` names the input in errors. The source owns `upstream` and
    /// closes it in ``close()``.
    public init(_ upstream: any ByteSource, path: String) {
        self.upstream = upstream
        self.path = path
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(byteCount: Self.inputBufferBytes, alignment: 16)
        // 15 + 32: the largest window, and zlib detects the gzip (or zlib) header itself.
        initialised = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
    }

    deinit {
        if initialised { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if let error = pendingError {
            pendingError = nil
            throw error
        }
        guard !finished, buffer.count > 0, let out = buffer.baseAddress else { return 0 }
        guard initialised else {
            finished = true
            throw .corrupt(path: path, reason: "cannot start the gzip decoder (zlib \(String(cString: zlibVersion())))")
        }
        var produced = 0
        while produced < buffer.count {
            if stream.pointee.avail_in == 0 {
                // Return what is ready before possibly blocking on upstream (a pipe).
                if produced > 0 { break }
                if !upstreamEnded { try refill() }
                if stream.pointee.avail_in == 0 {
                    finished = true
                    if atMemberEnd { return 0 }
                    return try fail(produced, .corrupt(path: path, reason: truncationReason))
                }
            }
            if atMemberEnd {
                skipPadding()
                if stream.pointee.avail_in == 0 { continue }
                // Another member follows.
                inflateReset(stream)
                atMemberEnd = false
            }
            stream.pointee.next_out = (out + produced).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(buffer.count - produced)
            let status = inflate(stream, Z_NO_FLUSH)
            let made = buffer.count - produced - Int(stream.pointee.avail_out)
            produced += made
            decodedBytes += made
            switch status {
            case Z_STREAM_END:
                atMemberEnd = true
                membersDecoded += 1
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                finished = true
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                return try fail(produced, .corrupt(path: path, reason: "corrupt gzip stream (\(detail)) after \(decodedBytes) decompressed bytes; the bytes before were analysed"))
            }
        }
        return produced
    }

    public func close() {
        if initialised {
            inflateEnd(stream)
            initialised = false
        }
        finished = true
        upstream.close()
    }

    var truncationReason: String {
        "truncated gzip stream (ends after \(decodedBytes) decompressed bytes; the lines before the cut were analysed)"
    }

    /// Returns the bytes already produced and keeps `error` for the next read, or throws it now.
    func fail(_ produced: Int, _ error: InputError) throws(InputError) -> Int {
        if produced > 0 {
            pendingError = error
            return produced
        }
        throw error
    }

    func refill() throws(InputError) {
        let n = try upstream.read(into: input)
        if n == 0 {
            upstreamEnded = true
        } else {
            stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = uInt(n)
        }
    }

    /// Drops NUL bytes that follow a member (tape padding).
    func skipPadding() {
        while stream.pointee.avail_in > 0, stream.pointee.next_in.pointee == 0 {
            stream.pointee.next_in += 1
            stream.pointee.avail_in -= 1
        }
    }
}
