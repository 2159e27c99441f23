import Foundation

/// The `--format json` document written a piece at a time, so that its memory is that of a
/// piece (about 64 KiB) and of one service's wire values, not of the whole document (about 4 KB
/// per input file of a `/var/log/pods` tree: 200 MB at 50,000 files). The pieces are byte for
/// byte ``AuditReport/jsonData()``.
extension AuditReport {
    /// Hands ``jsonData()`` to `write` in pieces (every piece ends between two values).
    public func writeJSON(_ write: (Data) throws -> Void) throws {
        var json = WireJSONWriter(pretty: true)
        try WireDocument(self).write(to: &json) { try $0.hand(to: write, atLeast: WireJSONWriter.pieceBytes) }
        json.append(0x0A)
        try json.hand(to: write)
    }
}
