#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a never-ending descriptor (standard input fed by `kubectl logs -f`) without blocking
/// longer than asked: `poll(2)` with a timeout, then one `read(2)` of what is there, so one
/// thread can both read and redraw.
public final class DescriptorReader {
    /// What one call to ``read(waitingAtMost:into:)`` found.
    public enum Outcome: Sendable, Equatable {
        /// This many bytes were fed.
        case read(Int)
        /// Nothing arrived in time (or a signal interrupted the wait).
        case idle
        /// The writer closed its end.
        case ended
        /// Reading failed; the stream is over.
        case failed(InputError)
    }

    public let fd: Int32
    public let name: String
    let buffer: UnsafeMutableRawBufferPointer

    public init(fd: Int32, name: String, bufferBytes: Int = 1 << 20) {
        self.fd = fd
        self.name = name
        buffer = .allocate(byteCount: bufferBytes, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Waits up to `milliseconds` for bytes, then feeds what one read returns to `stream`.
    public func read(waitingAtMost milliseconds: Int32, into stream: LiveStream) -> Outcome {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&pfd, 1, milliseconds)
        if ready < 0 {
            if errno == EINTR { return .idle }
            return .failed(.readFailed(path: name, reason: String(cString: strerror(errno))))
        }
        if ready == 0 { return .idle }
        let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
        if n < 0 {
            if errno == EINTR || errno == EAGAIN { return .idle }
            return .failed(.readFailed(path: name, reason: String(cString: strerror(errno))))
        }
        if n == 0 { return .ended }
        stream.feed(UnsafeRawBufferPointer(start: buffer.baseAddress, count: n))
        return .read(n)
    }
}
