/// The kind of name a `hostLookupOrder(NAME) = cgo` line sends to libc, after the rules by which
/// Go's `hostLookupOrder` picks cgo for some names only (``ResolverCause`` reads them).
///
/// The classes come from Go's `net/conf.go`: names with `\` or `%`; `*.local` names when
/// nsswitch.conf has an `mdns` source (go1.19 sends every `*.local` name, mdns or not), which
/// includes the cluster's `*.cluster.local` names; localhost names, `_gateway` (go1.19: `gateway`) and the
/// host's own name when it has `myhostname`.
public enum LookupNameClass: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// A name containing `\` or `%`.
    case escaped
    /// A `*.local` name other than the cluster domain's (mDNS).
    case mdns
    /// A `*.cluster.local` name: the `.local` rule catches the cluster's own names too.
    case clusterLocal = "cluster-local"
    /// `localhost`, `*.localhost`, `_gateway` or `gateway`.
    case localhost
    /// The instance's own name (a pod's host name is its name).
    case ownHost = "own-host"
    /// Any other name.
    case other

    public static func < (lhs: LookupNameClass, rhs: LookupNameClass) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Classifies `name` (the bytes between `hostLookupOrder(` and `) = `); `hostName` is the
    /// instance's own name, compared without regard to ASCII case as Go does.
    public static func classify(_ name: UnsafeRawBufferPointer, hostName: String) -> LookupNameClass {
        if name.firstIndex(ofByte: 0x5C) != nil || name.firstIndex(ofByte: 0x25) != nil { return .escaped }
        var end = name.count
        if end > 0, name[end - 1] == 0x2E { end -= 1 }   // a trailing dot: the same name
        let bare = name.slice(0, end)
        if hasSuffixFoldingCase(bare, ".cluster.local") { return .clusterLocal }
        if hasSuffixFoldingCase(bare, ".local") { return .mdns }
        if equalsFoldingCase(bare, "localhost") || hasSuffixFoldingCase(bare, ".localhost")
            || equalsFoldingCase(bare, "_gateway") || equalsFoldingCase(bare, "gateway") {
            return .localhost
        }
        if !hostName.isEmpty, equalsFoldingCase(bare, string: hostName) { return .ownHost }
        return .other
    }

    static func lowered(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }

    static func hasSuffixFoldingCase(_ bytes: UnsafeRawBufferPointer, _ suffix: StaticString) -> Bool {
        hasSuffixFoldingCase(bytes, UnsafeRawBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount))
    }

    static func hasSuffixFoldingCase(_ bytes: UnsafeRawBufferPointer, _ suffix: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= suffix.count else { return false }
        let start = bytes.count - suffix.count
        for i in 0..<suffix.count where lowered(bytes[start + i]) != lowered(suffix[i]) { return false }
        return true
    }

    static func equalsFoldingCase(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        bytes.count == text.utf8CodeUnitCount && hasSuffixFoldingCase(bytes, text)
    }

    /// Compared on the string's own UTF-8 bytes (a native string's are contiguous: no copy).
    static func equalsFoldingCase(_ bytes: UnsafeRawBufferPointer, string text: String) -> Bool {
        guard bytes.count == text.utf8.count else { return false }
        if let equal = text.utf8.withContiguousStorageIfAvailable({ hasSuffixFoldingCase(bytes, UnsafeRawBufferPointer($0)) }) {
            return equal
        }
        return Array(text.utf8).withUnsafeBytes { hasSuffixFoldingCase(bytes, $0) }
    }
}
