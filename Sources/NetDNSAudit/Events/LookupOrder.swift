/// The order value of a `hostLookupOrder(NAME) = ORDER` or `addrLookupOrder(ADDR) = ORDER` line.
///
/// Kept as the printed text so that values a future Go prints survive a round trip;
/// ``kind`` gives the exhaustive view.
public struct LookupOrder: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The known order values of Go's `hostLookupOrder` type.
    public enum Kind: Sendable, Equatable {
        case cgo
        case files
        case dns
        case filesThenDNS
        case dnsThenFiles
        /// `hostLookupOrder=N??`: a numeric value Go has no name for.
        case unnamed
    }

    public static let cgo = LookupOrder(rawValue: "cgo")
    public static let files = LookupOrder(rawValue: "files")
    public static let dns = LookupOrder(rawValue: "dns")
    public static let filesThenDNS = LookupOrder(rawValue: "files,dns")
    public static let dnsThenFiles = LookupOrder(rawValue: "dns,files")

    /// The classification of this value, or `nil` when the text is not an order Go prints.
    public var kind: Kind? {
        switch rawValue {
        case "cgo": return .cgo
        case "files": return .files
        case "dns": return .dns
        case "files,dns": return .filesThenDNS
        case "dns,files": return .dnsThenFiles
        default:
            if rawValue.hasPrefix("hostLookupOrder="), rawValue.hasSuffix("??") { return .unnamed }
            return nil
        }
    }

    /// The path a lookup with this order takes: only `cgo` goes through libc.
    public var path: ResolverPath { kind == .cgo ? .cgo : .go }

    public var description: String { rawValue }

    public static func < (lhs: LookupOrder, rhs: LookupOrder) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Which direction a lookup went.
public enum LookupDirection: String, Sendable, Hashable, Codable {
    /// `hostLookupOrder(NAME)`: a name to addresses.
    case forward
    /// `addrLookupOrder(ADDR)`, or go1.19's `hostLookupOrder()` with an empty name: an address to names.
    case reverse
}
