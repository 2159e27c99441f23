/// The order value of a `hostLookupOrder(NAME) = ORDER` or `addrLookupOrder(ADDR) = ORDER` line.
///
/// Kept as the printed text so that values a future Go prints survive a round trip;
/// ``kind`` gives the exhaustive view.
public struct LookupOrder: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String
    /// The classification of this value, or `nil` when the text is not an order Go prints
    /// (read from the text once, by ``Kind/init(text:)``).
    public let kind: Kind?

    public init(rawValue: String) {
        self.rawValue = rawValue
        var text = rawValue
        kind = text.withUTF8 { Kind(text: UnsafeRawBufferPointer($0)) }
    }

    /// A known value, with no text to read.
    private init(_ rawValue: StaticString, _ kind: Kind) {
        self.rawValue = rawValue.description
        self.kind = kind
    }

    /// The known order values of Go's `hostLookupOrder` type.
    public enum Kind: Sendable, Equatable {
        case cgo
        case files
        case dns
        case filesThenDNS
        case dnsThenFiles
        /// `hostLookupOrder=N??`: a numeric value Go has no name for.
        case unnamed

        /// The kind of the order text `text`, or `nil` when Go prints no such order: the one
        /// reading of an order's text. The named values are compared as bytes (no other bytes
        /// make a `String` equal to one of them: no character is canonically equivalent to
        /// their letters or comma).
        @inline(__always)
        init?(text: UnsafeRawBufferPointer) {
            switch text.count {
            case 3:
                if text.equals("cgo") { self = .cgo; return }
                if text.equals("dns") { self = .dns; return }
            case 5:
                if text.equals("files") { self = .files; return }
            case 9:
                if text.equals("files,dns") { self = .filesThenDNS; return }
                if text.equals("dns,files") { self = .dnsThenFiles; return }
            default:
                break
            }
            // The bytes first (every such text holds them), then the text as `String`s compare
            // it (a combining mark after `=` makes another first character).
            if text.count >= 18, text.hasPrefix("hostLookupOrder="), text.hasPrefix("??", at: text.count - 2) {
                let string = text.string
                if string.hasPrefix("hostLookupOrder="), string.hasSuffix("??") {
                    self = .unnamed
                    return
                }
            }
            return nil
        }

        /// The index of a named kind among ``LookupOrder/named`` (`nil` for ``unnamed``).
        @inline(__always)
        var namedIndex: Int? {
            switch self {
            case .cgo: return 0
            case .files: return 1
            case .dns: return 2
            case .filesThenDNS: return 3
            case .dnsThenFiles: return 4
            case .unnamed: return nil
            }
        }
    }

    public static let cgo = LookupOrder("cgo", .cgo)
    public static let files = LookupOrder("files", .files)
    public static let dns = LookupOrder("dns", .dns)
    public static let filesThenDNS = LookupOrder("files,dns", .filesThenDNS)
    public static let dnsThenFiles = LookupOrder("dns,files", .dnsThenFiles)

    /// The named values, in the order of ``Kind/namedIndex``.
    static let named: [LookupOrder] = [.cgo, .files, .dns, .filesThenDNS, .dnsThenFiles]

    /// The order whose text is `text`, or `nil` when Go prints no such order: a named value
    /// makes no `String`.
    @inline(__always)
    static func read(_ text: UnsafeRawBufferPointer) -> LookupOrder? {
        switch Kind(text: text) {
        case .cgo?: return .cgo
        case .files?: return .files
        case .dns?: return .dns
        case .filesThenDNS?: return .filesThenDNS
        case .dnsThenFiles?: return .dnsThenFiles
        case .unnamed?: return LookupOrder(rawValue: text.string)
        case nil: return nil
        }
    }

    /// The path a lookup with this order takes: only `cgo` goes through libc.
    public var path: ResolverPath { kind == .cgo ? .cgo : .go }

    public var description: String { rawValue }

    public static func == (lhs: LookupOrder, rhs: LookupOrder) -> Bool { lhs.rawValue == rhs.rawValue }

    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    public static func < (lhs: LookupOrder, rhs: LookupOrder) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
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
