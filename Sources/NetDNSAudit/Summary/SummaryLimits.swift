/// The bounds a report keeps to (``NameTally/capacity`` failing names per instance,
/// ``StreamAnalyzer/detailedInstanceLimit`` instances shown one by one), applied once to the
/// merged summary of a run, so that a report does not depend on how its input was cut up
/// (files, `--jobs` ranges).
extension AuditSummary {
    /// Instances shown one by one (folded rows not counted).
    public var detailedInstanceCount: Int {
        instances.values.reduce(0) { $0 + ($1.identity.name == InstanceSummary.foldedRowName ? 0 : 1) }
    }

    /// Whether one stream reading the same lines would have folded something: a folded row,
    /// more detailed instances than the limit, or a tally beyond its capacity. The ranges of a
    /// split file whose merge says so are read again as one stream (see
    /// `ParallelFileAnalyzer.analyzeSplit`): which instances and names one stream keeps depends
    /// on the order it meets them in, which ranges read at once do not share.
    public var exceedsStreamLimits: Bool {
        var detailed = 0
        for s in instances.values {
            if s.identity.name == InstanceSummary.foldedRowName || s.failingNames.exceedsCapacity { return true }
            detailed += 1
        }
        return detailed > StreamAnalyzer.detailedInstanceLimit
    }

    /// Applies the bounds to a merged summary: every tally keeps its ``NameTally/capacity``
    /// most frequent names; beyond ``StreamAnalyzer/detailedInstanceLimit`` detailed instances,
    /// the rest (the last in ``InstanceIdentity`` order) are folded into their service's row
    /// (beyond ``StreamAnalyzer/foldedServiceLimit`` rows, into one shared row), as one stream
    /// folds them. A summary within the bounds is unchanged.
    public mutating func applyLimits() {
        let detailed = instances.keys.filter { $0.name != InstanceSummary.foldedRowName }.sorted()
        if detailed.count > StreamAnalyzer.detailedInstanceLimit { fold(detailed[StreamAnalyzer.detailedInstanceLimit...]) }
        for (identity, s) in instances where s.failingNames.counts.count > NameTally.capacity {
            var trimmed = s
            trimmed.failingNames.trim(to: NameTally.capacity)
            instances[identity] = trimmed
        }
    }

    /// Folds the instances `identities` into their services' rows.
    ///
    /// The file lists are set aside while the instances are added one by one, then joined once
    /// per row by ``SortedNames/union(all:)`` (the same list as joining them one at a time, which
    /// made folding 48,000 single-file instances quadratic: a minute).
    mutating func fold(_ identities: ArraySlice<InstanceIdentity>) {
        var rows = Set(instances.keys.filter { $0.name == InstanceSummary.foldedRowName })
        var files: [InstanceIdentity: [[String]]] = [:]
        for identity in identities {
            guard var s = instances.removeValue(forKey: identity) else { continue }
            var row = InstanceIdentity(service: identity.service, name: InstanceSummary.foldedRowName, namespace: identity.namespace)
            if !rows.contains(row) && rows.count >= StreamAnalyzer.foldedServiceLimit {
                row = InstanceIdentity(service: InstanceSummary.foldedRowName, name: InstanceSummary.foldedRowName)
            }
            rows.insert(row)
            if files[row] == nil {
                // The row's own files come first, as they would in a merge one at a time.
                files[row] = [instances[row]?.files ?? []]
                instances[row]?.files = []
            }
            files[row]!.append(s.files)
            s.files = []
            s.identity = row
            s.foldedInstances = 1
            add(s)
        }
        for (row, lists) in files { instances[row]?.files = SortedNames.union(all: lists) }
    }
}
