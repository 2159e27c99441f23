import Foundation
import Testing
@testable import NetDNSAudit

/// `--format json` is written a piece at a time (``AuditReport/writeJSON(_:)``): the pieces
/// are byte for byte the whole document (``AuditReport/jsonData(oneLine:)``).
@Suite struct StreamingJSONTests {
    static func pieces(_ report: AuditReport) throws -> Data {
        var out = Data()
        try report.writeJSON { out.append($0) }
        return out
    }

    @Test func piecesAreTheWholeDocument() throws {
        let root = BuiltTool.repositoryRoot.appendingPathComponent("SampleLogs").path
        let sample = AuditReport(Analyzer().analyze([.path(root)]).summary)
        #expect(sample.services.count > 1)
        #expect(try Self.pieces(sample) == (try sample.jsonData()))
        // No services, and names that look like the keys the pieces are cut at.
        #expect(try Self.pieces(AuditReport(AuditSummary())) == (try AuditReport(AuditSummary()).jsonData()))
        var summary = AuditSummary()
        for name in ["\n  \"services\" : [\n\n  ]", "\"instances\" : [", "a\u{7F}b", "##[x"] {
            var s = InstanceSummary(identity: InstanceIdentity(service: name, name: name + "-0", namespace: name))
            s.files = [name]
            s.lines = 3
            summary.add(s)
            var t = s
            t.identity.name = name + "-1"
            summary.add(t)
        }
        let hostile = AuditReport(summary)
        #expect(try Self.pieces(hostile) == (try hostile.jsonData()))
    }

    /// A report of many services is handed over in several pieces of at least 64 KiB (the last
    /// one excepted), which together are the whole document.
    @Test func largeReportsComeInPieces() throws {
        var summary = AuditSummary()
        for i in 0..<600 {
            var s = InstanceSummary(identity: InstanceIdentity(service: "service-\(i)", name: "service-\(i)-0"))
            s.files = ["logs/service-\(i).log"]
            s.lines = i
            summary.add(s)
        }
        let report = AuditReport(summary)
        var pieces: [Data] = []
        try report.writeJSON { pieces.append($0) }
        #expect(pieces.count > 2)
        #expect(pieces.dropLast().allSatisfy { $0.count >= WireJSONWriter.pieceBytes })
        #expect(pieces.reduce(Data(), +) == (try report.jsonData()))
    }
}
