import Testing
@testable import NetDNSAudit

/// Summaries are values that merge: the summary of A merged with the summary of B equals the
/// summary of both, when A and B hold different instances.
@Suite struct SummaryMergeTests {
    static let pods = [
        "[pod/checkout-7d9f8b6c5-x2k4p/checkout] 2026-11-20T10:00:01Z go package net: dynamic selection of DNS resolver",
        "[pod/checkout-7d9f8b6c5-m9zqt/checkout] 2026-11-20T10:00:02Z lookup a on 10.96.0.10:53: no such host",
        "[pod/ledger-0/ledger] 2026-11-20T10:00:03Z go package net: hostLookupOrder(a) = cgo",
        "[pod/ledger-0/ledger] 2026-11-20T10:00:04Z lookup b: Temporary failure in name resolution",
        "[pod/checkout-7d9f8b6c5-x2k4p/checkout] 2026-11-20T10:00:05Z lookup c: no such host",
        "[pod/ledger-1/ledger] 2026-11-20T10:00:06Z go package net: hostLookupOrder(c) = files,dns",
    ]

    /// Evidence samples point at lines of their own input; parts of a file number lines anew.
    static func withoutEvidenceLocations(_ s: AuditSummary) -> AuditSummary {
        var copy = s
        for (id, var i) in copy.instances {
            i.cgoEvidence?.line = 0
            i.goEvidence?.line = 0
            copy.instances[id] = i
        }
        return copy
    }

    @Test func mergeOfDisjointInstancesEqualsTheWhole() {
        let partA = Self.pods.filter { $0.contains("checkout") }
        let partB = Self.pods.filter { !$0.contains("checkout") }
        let whole = Self.withoutEvidenceLocations(analyze(Self.pods.joined(separator: "\n")))
        let merged = Self.withoutEvidenceLocations(analyze(partA.joined(separator: "\n")).merging(analyze(partB.joined(separator: "\n"))))
        #expect(merged.instances == whole.instances)
        #expect(AuditReport(merged).services == AuditReport(whole).services)
        #expect(merged.totals.lines == whole.totals.lines)
        let reversed = Self.withoutEvidenceLocations(analyze(partB.joined(separator: "\n")).merging(analyze(partA.joined(separator: "\n"))))
        #expect(reversed.instances == merged.instances)
    }

    @Test func verdictIsDerivedAfterMerge() {
        // Instance evidence split across two inputs: the ambiguous error becomes cgo once the
        // dynamic-selection line (from the other input) is merged in.
        let a = analyze("[pod/checkout-7d9f8b6c5-x2k4p/checkout] go package net: dynamic selection of DNS resolver")
        let b = analyze("[pod/checkout-7d9f8b6c5-x2k4p/checkout] lookup c: no such host")
        let report = AuditReport(a.merging(b))
        #expect(report.services[0].verdict == .cgo)
        #expect(report.services[0].failures.byPath.byRawValue == ["cgo": 1])
        #expect(AuditReport(b).services[0].verdict == .undetermined)
    }

    @Test func reportRoundTripsThroughJSON() throws {
        let summary = analyze(Self.pods.joined(separator: "\n"))
        let report = AuditReport(summary)
        let decoded = try AuditReport.decode(report.jsonData())
        #expect(decoded == report)
        #expect(decoded.summary == summary)
    }

    @Test func otherSchemaVersionsAreRefused() {
        #expect(throws: ReportDecodingError.unsupportedSchemaVersion(99, supported: AuditReport.currentSchemaVersion)) {
            try AuditReport.decode(Array(#"{"schemaVersion": 99}"#.utf8).withUnsafeBytes { .init($0) })
        }
    }
}
