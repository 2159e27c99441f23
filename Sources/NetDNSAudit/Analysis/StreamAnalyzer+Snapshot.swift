extension StreamAnalyzer {
    /// The summary so far, without ending the stream: lines still held by the envelope stay
    /// held, and a pending torn trace start is not counted yet (so ``InputTotals/bucketTotal``
    /// may be short of ``InputTotals/lines`` by those lines).
    ///
    /// A file whose envelope is still undecided is decided now, from the lines seen so far.
    public func snapshot() -> AuditSummary {
        if holdsStretch { spillStretch() }
        if selector.isHolding, selector.holdsLines { decideFileEnvelope() }
        var summary = AuditSummary()
        summary.totals = recorder.totals
        summary.totals.files = 1
        let table = recorder.table
        for slot in table.rows.indices {
            let instance = table.summary(ofSlot: slot)
            if var existing = summary.instances[instance.identity] {
                existing.merge(instance)
                summary.instances[instance.identity] = existing
            } else {
                summary.instances[instance.identity] = instance
            }
        }
        return summary
    }
}
