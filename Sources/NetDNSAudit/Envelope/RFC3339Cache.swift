#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses RFC 3339 timestamps like ``RFC3339/parse(_:)-(UnsafeRawBufferPointer)``, remembering the
/// date and time of the last one: consecutive log lines mostly share their second, so only the
/// fraction and zone are parsed again.
struct RFC3339Cache {
    private var prefix: (UInt64, UInt64, UInt32) = (0, 0, 0)
    private var seconds: Int64? = nil

    mutating func parse(_ s: UnsafeRawBufferPointer) -> Int64? {
        guard s.count >= 20, let base = s.baseAddress else { return nil }
        let key = (base.loadUnaligned(as: UInt64.self), base.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                   base.loadUnaligned(fromByteOffset: 15, as: UInt32.self))
        if seconds == nil || key != prefix {
            guard let parsed = RFC3339.parseSeconds(s) else { return nil }
            prefix = key
            seconds = parsed
        }
        return RFC3339.parseTail(s, seconds: seconds!)
    }
}
