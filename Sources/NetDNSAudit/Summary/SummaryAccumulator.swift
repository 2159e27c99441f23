/// Merges the summaries of a run's inputs, in input order, into the summary that merging them
/// all (``AuditSummary/merge(_:)``), renaming the service (``AuditSummary/assignService(_:)``)
/// and then ``AuditSummary/applyLimits()`` make, without holding every instance until the end:
/// memory follows the ``StreamAnalyzer/detailedInstanceLimit`` instances shown one by one and
/// the services, not the instances (50,000 single-file pods).
///
/// An instance is folded as soon as that many smaller detailed identities are held: it can no
/// longer be among the smallest, which are the ones kept. What a fold adds to a row merges in
/// any order (counts, sets, earliest evidence), except the failing names (``NameTally``, which
/// trims beyond twice its capacity): each folded instance's names are kept apart, merged in
/// input order, and joined to their rows at the end in identity order, as `applyLimits` joins
/// them. Which services get a row of their own is decided at the end too, in the same order.
struct SummaryAccumulator {
    /// The `--service` override, applied to each instance as it comes.
    let service: String?
    private(set) var totals = InputTotals()
    /// The detailed instances that may be kept, at most ``StreamAnalyzer/detailedInstanceLimit``.
    private var detailed: [InstanceIdentity: InstanceSummary] = [:]
    /// Their identities, the largest on top.
    private var largest = IdentityHeap()
    /// Folded rows that came in with the input (a stream that folded), merged in input order.
    private var rows: [InstanceIdentity: InstanceSummary] = [:]
    /// The instances folded here, by (service, namespace).
    private var groups: [GroupKey: Group] = [:]
    /// Every identity folded here, with its failing names merged in input order.
    private var foldedNames: [InstanceIdentity: NameTally] = [:]

    init(service: String? = nil) { self.service = service }

    struct GroupKey: Hashable {
        var service: String
        var namespace: String?
    }

    /// The folded instances of one (service, namespace): what they add to their row but the
    /// failing names, their file lists, and the smallest identity (when the row is decided).
    struct Group {
        var sum: InstanceSummary
        var files: [[String]] = []
        var smallest: InstanceIdentity
    }

    /// Adds a summary of further input (after the inputs already added).
    mutating func add(_ summary: AuditSummary) {
        totals.merge(summary.totals)
        for var instance in summary.instances.values {
            if let service { instance.identity.service = service }
            add(instance)
        }
    }

    private mutating func add(_ instance: InstanceSummary) {
        let identity = instance.identity
        if identity.name == InstanceSummary.foldedRowName {
            rows[identity, default: InstanceSummary(identity: identity)].merge(instance)
            return
        }
        if detailed[identity] != nil {
            detailed[identity]!.merge(instance)
            return
        }
        if foldedNames[identity] != nil {
            fold(instance)
            return
        }
        if detailed.count < StreamAnalyzer.detailedInstanceLimit {
            detailed[identity] = instance
            largest.push(identity)
            return
        }
        guard let top = largest.top, identity < top else {
            fold(instance)
            return
        }
        // Smaller than the largest kept: kept instead of it, which is folded.
        largest.replaceTop(with: identity)
        detailed[identity] = instance
        if let evicted = detailed.removeValue(forKey: top) { fold(evicted) }
    }

    /// Folds an instance into its group (its failing names apart, by identity).
    private mutating func fold(_ instance: InstanceSummary) {
        var s = instance
        let identity = s.identity
        // One hash of the identity and one of the group (their entries changed in place).
        let known: Bool
        if let at = foldedNames.index(forKey: identity) {
            known = true
            foldedNames.values[at].merge(s.failingNames)
        } else {
            known = false
            var names = NameTally()
            names.merge(s.failingNames)
            foldedNames[identity] = names
        }
        s.failingNames = NameTally()
        let key = GroupKey(service: identity.service, namespace: identity.namespace)
        let row = InstanceIdentity(service: identity.service, name: InstanceSummary.foldedRowName, namespace: identity.namespace)
        let files = s.files
        s.files = []
        s.identity = row
        s.foldedInstances = known ? 0 : 1
        if let at = groups.index(forKey: key) {
            groups.values[at].sum.merge(s)
            groups.values[at].files.append(files)
            if identity < groups.values[at].smallest { groups.values[at].smallest = identity }
        } else {
            var sum = InstanceSummary(identity: row)
            sum.merge(s)
            groups[key] = Group(sum: sum, files: [files], smallest: identity)
        }
    }

    /// The summary of everything added, within the report's bounds.
    func finish() -> AuditSummary {
        var summary = AuditSummary()
        summary.totals = totals
        summary.instances = detailed
        for (identity, row) in rows { summary.instances[identity] = row }
        // Rows in the order their first instance comes in identity order (as `fold` meets them).
        var rowSet = Set(rows.keys)
        var rowOf: [GroupKey: InstanceIdentity] = [:]
        var files: [InstanceIdentity: [[String]]] = [:]
        // Their positions sorted, not the groups (each moved group a copy of a summary and its lists);
        // no two groups have the same smallest identity (it names the group's service and namespace).
        let entries = Array(groups)
        for i in entries.indices.sorted(by: { entries[$0].value.smallest < entries[$1].value.smallest }) {
            let (key, group) = entries[i]
            var row = group.sum.identity
            if !rowSet.contains(row) && rowSet.count >= StreamAnalyzer.foldedServiceLimit {
                row = InstanceIdentity(service: InstanceSummary.foldedRowName, name: InstanceSummary.foldedRowName)
            }
            rowSet.insert(row)
            rowOf[key] = row
            if files[row] == nil {
                files[row] = [summary.instances[row]?.files ?? []]
                summary.instances[row]?.files = []
            }
            files[row]! += group.files
            var sum = group.sum
            sum.identity = row
            summary.add(sum)
        }
        for (row, lists) in files { summary.instances[row]?.files = SortedNames.union(all: lists) }
        // The failing names, joined to the rows in identity order (when a row's names could
        // be trimmed on the way, order matters; otherwise any order gives the same tally).
        var names = foldedNames.filter { !$0.value.counts.isEmpty || $0.value.exceedsCapacity }
        if !names.isEmpty {
            var held: [InstanceIdentity: Int] = [:]
            for (identity, tally) in names {
                let row = rowOf[GroupKey(service: identity.service, namespace: identity.namespace)]!
                held[row, default: summary.instances[row]?.failingNames.counts.count ?? 0] += tally.counts.count
            }
            let ordered = held.values.contains { $0 > 2 * NameTally.capacity }
                ? names.keys.sorted() : Array(names.keys)
            for identity in ordered {
                let row = rowOf[GroupKey(service: identity.service, namespace: identity.namespace)]!
                summary.instances[row]?.failingNames.merge(names.removeValue(forKey: identity)!)
            }
        }
        for (identity, s) in summary.instances where s.failingNames.counts.count > NameTally.capacity {
            var trimmed = s
            trimmed.failingNames.trim(to: NameTally.capacity)
            summary.instances[identity] = trimmed
        }
        return summary
    }
}

/// Identities in a binary heap, the largest on top.
struct IdentityHeap {
    private var items: [InstanceIdentity] = []

    var top: InstanceIdentity? { items.first }

    mutating func push(_ identity: InstanceIdentity) {
        items.append(identity)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[parent] < items[i] else { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    /// Replaces the largest with `identity`.
    mutating func replaceTop(with identity: InstanceIdentity) {
        guard !items.isEmpty else { return push(identity) }
        items[0] = identity
        var i = 0
        while true {
            let left = 2 * i + 1, right = left + 1
            var big = i
            if left < items.count && items[big] < items[left] { big = left }
            if right < items.count && items[big] < items[right] { big = right }
            if big == i { return }
            items.swapAt(big, i)
            i = big
        }
    }
}
