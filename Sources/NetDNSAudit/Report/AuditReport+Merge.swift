/// Merging saved reports: the fleet view of many per-node or per-archive analyses.
extension AuditReport {
    /// The report of all of `reports` together: their summaries merged.
    ///
    /// Associative and commutative: any grouping or order of the same reports gives the same
    /// report. An instance present in several reports (a pod analysed on two days) becomes one
    /// instance whose counters add up, with the earliest `firstSeen` and the latest `lastSeen`.
    public static func merged(_ reports: [AuditReport]) -> AuditReport {
        var summary = AuditSummary()
        for report in reports { summary.merge(report.summary) }
        return AuditReport(summary)
    }

    /// This report merged with `other`.
    public func merging(_ other: AuditReport) -> AuditReport {
        Self.merged([self, other])
    }
}
