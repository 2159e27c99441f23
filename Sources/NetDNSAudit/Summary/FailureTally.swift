/// DNS failures of one instance, counted by the shape of their text and by class.
///
/// Kept raw (by shape) so that the path of ambiguous texts can be decided from the whole
/// instance's evidence after all its lines, and after merges.
public struct FailureTally: Sendable, Equatable, Codable {
    /// `lookup NAME on SERVER: ...` (pure-Go resolver).
    public var serverNamed = Tally<FailureClass>()
    /// `lookup NAME: <libc text>` (cgo path).
    public var libcText = Tally<FailureClass>()
    /// `lookup NAME: no such host` with no server: path decided from other evidence.
    public var ambiguousNoSuchHost = 0
    /// Other server-less texts: path unknown.
    public var serverlessOther = Tally<FailureClass>()

    public init() {}

    public mutating func add(_ failure: DNSFailure) {
        add(failure.shape, failure.failureClass)
    }

    /// Counts `count` failures of `shape` and `failureClass`.
    @inline(__always)
    public mutating func add(_ shape: FailureShape, _ failureClass: FailureClass, count: Int = 1) {
        switch shape {
        case .serverNamed: serverNamed.add(failureClass, count)
        case .libcText: libcText.add(failureClass, count)
        case .ambiguousNoSuchHost: ambiguousNoSuchHost += count
        case .serverlessOther: serverlessOther.add(failureClass, count)
        }
    }

    public mutating func merge(_ other: FailureTally) {
        serverNamed.merge(other.serverNamed)
        libcText.merge(other.libcText)
        ambiguousNoSuchHost += other.ambiguousNoSuchHost
        serverlessOther.merge(other.serverlessOther)
    }

    public var total: Int { serverNamed.total + libcText.total + ambiguousNoSuchHost + serverlessOther.total }

    /// Failures by class, whatever their shape.
    public var byClass: Tally<FailureClass> {
        var all = serverNamed.merging(libcText).merging(serverlessOther)
        all.add(.nxdomain, ambiguousNoSuchHost)
        return all
    }
}
