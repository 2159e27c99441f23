/// Who wrote a line: one container, process group or file, and the service it belongs to.
public struct InstanceIdentity: Sendable, Hashable, Codable, Comparable {
    /// The workload or program name the instance is reported under.
    public var service: String
    /// The instance's own name: pod, container, unit or file.
    public var name: String
    /// The container name inside a pod, when the envelope names one.
    public var container: String?
    /// The Kubernetes namespace, when the source shows it.
    public var namespace: String?

    public init(service: String, name: String, container: String? = nil, namespace: String? = nil) {
        self.service = service
        self.name = name
        self.container = container
        self.namespace = namespace
    }

    /// A total order (an absent namespace or container sorts before an empty one), so that
    /// sorted reports do not depend on the order instances were met or merged in.
    ///
    /// The order of `(namespace ?? "", service, name, container ?? "", namespace != nil,
    /// container != nil)` as tuples of Strings compare; two ASCII strings (every name the
    /// collectors write) are compared as bytes, which is String's order for them.
    public static func < (a: InstanceIdentity, b: InstanceIdentity) -> Bool {
        var c = order(a.namespace ?? "", b.namespace ?? "")
        if c == 0 { c = order(a.service, b.service) }
        if c == 0 { c = order(a.name, b.name) }
        if c == 0 { c = order(a.container ?? "", b.container ?? "") }
        if c != 0 { return c < 0 }
        let (an, bn) = (a.namespace == nil ? 0 : 1, b.namespace == nil ? 0 : 1)
        if an != bn { return an < bn }
        return (a.container == nil ? 0 : 1) < (b.container == nil ? 0 : 1)
    }

    /// -1, 0 or 1 as `a` sorts before, equal to or after `b` as Strings.
    @inline(__always)
    static func order(_ a: String, _ b: String) -> Int {
        var a = a, b = b
        let bytes = a.withUTF8 { x in
            b.withUTF8 { y -> Int? in isASCII(x) && isASCII(y) ? UTF8Order.compare(x, y) : nil }
        }
        if let bytes { return bytes }
        return a == b ? 0 : (a < b ? -1 : 1)
    }

    @inline(__always)
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var high: UInt8 = 0
        for byte in bytes { high |= byte }
        return high < 0x80
    }
}
