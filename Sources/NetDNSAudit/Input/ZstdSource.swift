import CNetDNSShim

/// The decompressed bytes of a zstd stream (an image layer), through the system libzstd loaded
/// at run time. Without the library, the first read throws an error that says so.
///
/// Concatenated frames decode as one stream. A truncated or corrupt stream yields the bytes
/// decoded before the damage, then throws ``InputError/corrupt(path:reason:)``.
public final class ZstdSource: ByteSource {
    public static let inputBufferBytes = 256 << 10

    /// Whether libzstd could be loaded.
    public static var isAvailable: Bool { netdns_zstd_available() == 1 }

    public let path: String
    var upstream: any ByteSource
    let stream: UnsafeMutableRawPointer?
    let input: UnsafeMutableRawBufferPointer
    var inputCount = 0
    var inputPosition = 0
    var upstreamEnded = false
    /// At a frame boundary (the start, or just after a frame ended).
    var atFrameEnd = true
    var finished = false
    var pendingError: InputError?
    public private(set) var decodedBytes = 0

    public init(_ upstream: any ByteSource, path: String) {
        self.upstream = upstream
        self.path = path
        stream = netdns_zstd_create()
        input = .allocate(byteCount: Self.inputBufferBytes, alignment: 16)
    }

    deinit {
        netdns_zstd_free(stream)
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if let error = pendingError {
            pendingError = nil
            throw error
        }
        guard !finished, buffer.count > 0, let out = buffer.baseAddress else { return 0 }
        guard let stream else {
            finished = true
            throw .unsupported(path: path, reason: "zstd-compressed layer, but the system libzstd (libzstd.so.1, Debian package libzstd1) is not installed")
        }
        var produced = 0
        while produced < buffer.count {
            if inputPosition == inputCount {
                if produced > 0 { break }
                if !upstreamEnded {
                    let n = try upstream.read(into: input)
                    if n == 0 { upstreamEnded = true } else { inputCount = n; inputPosition = 0 }
                }
                if inputPosition == inputCount {
                    finished = true
                    if atFrameEnd { return 0 }
                    throw .corrupt(path: path, reason: "truncated zstd stream (ends after \(decodedBytes) decompressed bytes)")
                }
            }
            var inPos = inputPosition
            var outPos = produced
            var message: UnsafePointer<CChar>? = nil
            let status = netdns_zstd_decompress(stream, input.baseAddress, inputCount, &inPos, out, buffer.count, &outPos, &message)
            let made = outPos - produced
            produced = outPos
            decodedBytes += made
            inputPosition = inPos
            if status < 0 {
                finished = true
                let error = InputError.corrupt(path: path, reason: "corrupt zstd stream (\(message.map { String(cString: $0) } ?? "error")) after \(decodedBytes) decompressed bytes")
                if produced > 0 { pendingError = error; return produced }
                throw error
            }
            atFrameEnd = status == 0
        }
        return produced
    }

    public func close() {
        finished = true
        upstream.close()
    }
}
