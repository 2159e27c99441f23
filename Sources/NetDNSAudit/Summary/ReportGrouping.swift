/// What one row of a report stands for.
public enum ReportGrouping: String, Sendable, CaseIterable {
    /// One row per service (workload), the default.
    case service
    /// One row per Kubernetes namespace (`-` when the source shows none).
    case namespace
    /// One row per instance (pod, container, unit or file).
    case instance
}

extension AuditSummary {
    /// The same counters with each instance filed under its group's name as the service, so
    /// that the verdict rules combine the instances of a group the way they combine a service's.
    public func grouped(by grouping: ReportGrouping) -> AuditSummary {
        guard grouping != .service else { return self }
        var regrouped = AuditSummary()
        regrouped.totals = totals
        for (identity, var summary) in instances {
            var id = identity
            switch grouping {
            case .service:
                break
            case .namespace:
                id.service = identity.namespace ?? "-"
                id.namespace = nil
            case .instance:
                id.service = [identity.name, identity.container].compactMap { $0 }.joined(separator: "/")
            }
            summary.identity = id
            regrouped.add(summary)
        }
        return regrouped
    }
}
