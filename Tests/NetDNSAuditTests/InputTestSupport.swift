import Foundation
import CZlib
@testable import NetDNSAudit

/// Fixtures and generated inputs for the input-layer tests (gzip, tar, rotation, binary).
enum InputTestSupport {
    /// A file under `Fixtures/inputs/`.
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/inputs/\(name)").path
    }

    static func bytes(ofFile path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("netdns-inputs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ bytes: [UInt8], to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    /// One gzip member of `data`, through zlib's deflate (window bits 15 + 16 = gzip framing).
    static func gzip(_ data: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        precondition(deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var input = data
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(data.count))) + 64)
        let produced = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return outBuf.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<produced])
    }

    /// Log text made of numbered plain lines, `count` of them.
    static func plainLines(_ count: Int, prefix: String = "line") -> [UInt8] {
        Array((1...count).map { "\(prefix) \($0) of a plain log, nothing about DNS here\n" }.joined().utf8)
    }

    /// A ustar tar archive, built byte by byte (no `tar` binary needed).
    struct TarBuilder {
        var bytes: [UInt8] = []

        /// Adds an entry; `type` is the typeflag (`0` regular, `5` directory, `L` GNU long
        /// name, `x` pax header). `name` must fit the 100-byte field.
        mutating func add(_ name: String, _ data: [UInt8], type: UInt8 = 0x30, corruptChecksum: Bool = false) {
            var header = [UInt8](repeating: 0, count: 512)
            func put(_ text: String, _ at: Int) { for (i, b) in text.utf8.enumerated() { header[at + i] = b } }
            put(String(name.prefix(100)), 0)
            put("0000644\0", 100)
            put("0000000\0", 108)
            put("0000000\0", 116)
            put(String(format: "%011o", data.count) + "\0", 124)
            put("14701234567\0", 136)
            header[156] = type
            put("ustar\0", 257)
            put("00", 263)
            for i in 148..<156 { header[i] = 0x20 }
            var sum = header.reduce(0) { $0 + Int($1) }
            if corruptChecksum { sum += 1 }
            put(String(format: "%06o", sum) + "\0 ", 148)
            bytes += header
            bytes += data
            bytes += [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
        }

        /// Adds a regular file with a long path through a GNU `L` entry.
        mutating func addLongName(_ path: String, _ data: [UInt8]) {
            add("././@LongLink", Array(path.utf8) + [0], type: 0x4C)
            add(String(path.suffix(90)), data)
        }

        /// Adds a regular file whose path comes from a pax `x` header.
        mutating func addPax(_ path: String, _ data: [UInt8]) {
            let body = " path=\(path)\n"
            var length = body.utf8.count + 1
            while String(length).utf8.count + body.utf8.count != length { length += 1 }
            add("PaxHeaders/x", Array("\(length)\(body)".utf8), type: 0x78)
            add("short-name-ignored", data)
        }

        /// The archive with its two closing zero blocks.
        var archive: [UInt8] { bytes + [UInt8](repeating: 0, count: 1024) }
    }
}

/// A byte source over memory that hands out at most `chunk` bytes per read, like a pipe.
struct InputMemorySource: ByteSource {
    let bytes: [UInt8]
    let chunk: Int
    var offset = 0
    var closed = false

    init(_ bytes: [UInt8], chunk: Int = 4096) {
        self.bytes = bytes
        self.chunk = chunk
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let n = min(buffer.count, chunk, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { all in
            buffer.baseAddress!.copyMemory(from: all.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }

    mutating func close() { closed = true }
}

extension ByteSource {
    /// Reads the whole source with a small buffer (to cross many read boundaries); returns
    /// the bytes read and the error that ended the stream, if any.
    mutating func readAll(bufferSize: Int = 1000) -> (bytes: [UInt8], error: InputError?) {
        var out: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            do {
                let n = try read(into: buffer)
                if n == 0 { return (out, nil) }
                out += buffer[0..<n]
            } catch {
                return (out, error)
            }
        }
    }
}
