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
    public static func < (a: InstanceIdentity, b: InstanceIdentity) -> Bool {
        (a.namespace ?? "", a.service, a.name, a.container ?? "", a.namespace == nil ? 0 : 1, a.container == nil ? 0 : 1)
            < (b.namespace ?? "", b.service, b.name, b.container ?? "", b.namespace == nil ? 0 : 1, b.container == nil ? 0 : 1)
    }
}
