import CNetDNSShim
import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The gzip decoders: Intel ISA-L's inflate (about three times zlib's speed) when its library
/// can be opened, zlib otherwise.
public enum GzipDecoder: String, Sendable, CaseIterable {
    case isal
    case zlib

    /// Why ISA-L cannot be used (`nil`: it can): a build without its header, or no libisal at run time.
    public static var isalUnavailableReason: String? {
        netdns_isal_unavailable().map { String(cString: $0) }
    }

    /// ISA-L when it can be used, unless the environment variable `NETDNS_AUDIT_GZIP` is `zlib`
    /// (`isal` asks for ISA-L: a gzip input then fails with the reason when it cannot be used).
    public static var preferred: GzipDecoder {
        switch getenv("NETDNS_AUDIT_GZIP").map({ String(cString: $0) }) {
        case "zlib": return .zlib
        case "isal": return .isal
        default: return isalUnavailableReason == nil ? .isal : .zlib
        }
    }
}

/// The decompressed bytes of a gzip stream read from another source, through ISA-L or zlib
/// (see ``GzipDecoder``).
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
    /// The decoder in use.
    public let decoder: GzipDecoder
    /// ISA-L's state, when it decodes.
    let isal: OpaquePointer?
    /// The compressed bytes not yet decoded (both decoders).
    var nextIn: UnsafePointer<UInt8>? = nil
    var availIn: UInt32 = 0
    /// ISA-L reads a member's header in one call: at a member's start the input is topped up.
    var atMemberStart = true

    /// Decodes `upstream`; `path` names the input in errors. The source owns `upstream` and
    /// closes it in ``close()``.
    public init(_ upstream: any ByteSource, path: String, decoder: GzipDecoder = .preferred) {
        self.upstream = upstream
        self.path = path
        self.decoder = decoder
        isal = decoder == .isal ? netdns_isal_new() : nil
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(byteCount: Self.inputBufferBytes, alignment: 16)
        // 15 + 32: the largest window, and zlib detects the gzip (or zlib) header itself.
        initialised = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
    }

    deinit {
        if let isal { netdns_isal_free(isal) }
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
        if decoder == .isal {
            guard let isal else {
                finished = true
                throw .corrupt(path: path, reason: "cannot use the ISA-L gzip decoder: \(GzipDecoder.isalUnavailableReason ?? "out of memory") (unset NETDNS_AUDIT_GZIP to use zlib)")
            }
            return try readISAL(into: buffer, out: out, isal: isal)
        }
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

    /// ``read(into:)`` with ISA-L: the same member, padding, truncation and damage rules as zlib.
    func readISAL(into buffer: UnsafeMutableRawBufferPointer, out: UnsafeMutableRawPointer, isal: OpaquePointer) throws(InputError) -> Int {
        var produced = 0
        while produced < buffer.count {
            if availIn == 0 {
                if produced > 0 { break }
                if !upstreamEnded { try refill() }
                if availIn == 0 {
                    finished = true
                    if atMemberEnd { return 0 }
                    return try fail(produced, .corrupt(path: path, reason: truncationReason))
                }
            }
            if atMemberEnd {
                skipPadding()
                if availIn == 0 { continue }
                netdns_isal_reset(isal)
                atMemberEnd = false
                atMemberStart = true
            }
            if atMemberStart {
                if availIn < 65536 && !upstreamEnded { try topUp() }
                atMemberStart = false
            }
            var inPointer = nextIn
            var inCount = availIn
            var outPointer: UnsafeMutablePointer<UInt8>? = (out + produced).assumingMemoryBound(to: UInt8.self)
            var outCount = UInt32(min(buffer.count - produced, Int(UInt32.max)))
            let status = netdns_isal_inflate(isal, &inPointer, &inCount, &outPointer, &outCount)
            let made = min(buffer.count - produced, Int(UInt32.max)) - Int(outCount)
            let consumed = Int(availIn) - Int(inCount)
            produced += made
            decodedBytes += made
            nextIn = inPointer
            availIn = inCount
            if status == 1 {
                atMemberEnd = true
                membersDecoded += 1
            } else if status < 0 || (made == 0 && consumed == 0) {
                finished = true
                let detail = status < 0 ? Self.isalError(status) : "the decoder made no progress"
                return try fail(produced, .corrupt(path: path, reason: "corrupt gzip stream (\(detail)) after \(decodedBytes) decompressed bytes; the bytes before were analysed"))
            }
        }
        return produced
    }

    /// Moves the undecoded input to the buffer's start and reads until 64 KiB are there (or the
    /// upstream ends), so that a member's header is whole.
    func topUp() throws(InputError) {
        let base = input.baseAddress!
        var have = Int(availIn)
        if have > 0, let p = nextIn { memmove(base, p, have) }
        nextIn = UnsafePointer(base.assumingMemoryBound(to: UInt8.self))
        while have < 65536 && !upstreamEnded {
            let n = try upstream.read(into: UnsafeMutableRawBufferPointer(start: base + have, count: input.count - have))
            if n == 0 { upstreamEnded = true } else { have += n }
            availIn = UInt32(have)
        }
    }

    static func isalError(_ status: Int32) -> String {
        switch status {
        case -1: return "invalid deflate block"
        case -2: return "invalid deflate symbol"
        case -3: return "invalid lookback distance"
        case -4: return "invalid gzip header"
        case -5: return "unsupported compression method"
        case -6: return "incorrect checksum"
        default: return "ISA-L error \(status)"
        }
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
            nextIn = UnsafePointer(input.baseAddress!.assumingMemoryBound(to: UInt8.self))
            availIn = UInt32(n)
        }
    }

    /// Drops NUL bytes that follow a member (tape padding).
    func skipPadding() {
        if decoder == .isal {
            while availIn > 0, let p = nextIn, p.pointee == 0 {
                nextIn = p + 1
                availIn -= 1
            }
            return
        }
        while stream.pointee.avail_in > 0, stream.pointee.next_in.pointee == 0 {
            stream.pointee.next_in += 1
            stream.pointee.avail_in -= 1
        }
    }
}
