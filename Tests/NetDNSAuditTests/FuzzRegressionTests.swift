import Foundation
import Testing
@testable import NetDNSAudit

/// Inputs the fuzzer (`Scripts/fuzz.sh`) found crashing or breaking an invariant, kept as
/// regression tests.
@Suite struct FuzzRegressionTests {
    /// `lines` target: a Docker line with the year 0529 overflowed the nanosecond arithmetic
    /// of RFC 3339 parsing (a trap). Times outside Int64 nanoseconds (1677...2262) are now no timestamp.
    @Test func timestampOutsideTheNanosecondRangeIsNoTimestamp() {
        let line = #"{"log":"go package net: using the Go DNS resolver\n","stream":"stderr","time":"0529-11-20T11:00:01.03260988Z"}"#
        #expect(RFC3339.parse("0529-11-20T11:00:01.03260988Z") == nil)
        #expect(RFC3339.parse("0001-01-01T00:00:00Z") == nil)
        #expect(RFC3339.parse("9999-12-31T23:59:60.999999999Z") == nil)
        #expect(RFC3339.parse("1677-09-21T00:12:43Z") == nil)
        #expect(RFC3339.parse("1677-09-21T00:12:44Z") != nil)
        #expect(RFC3339.parse("2262-04-11T23:47:16.854775807Z") == Int64.max)
        #expect(RFC3339.parse("2262-04-11T23:47:16.854775808Z") == nil)
        let s = analyze(line + "\n", path: "c-json.log")
        #expect(s.totals.lines == 1 && s.totals.bucketTotal == 1)
        #expect(s.instances.values.first?.firstSeen == nil)
    }

    /// Formatting the extreme timestamps does not overflow either.
    @Test func extremeTimestampsFormat() throws {
        let earliest = try #require(RFC3339.parse("1677-09-21T00:12:45Z"))
        #expect(RFC3339.format(earliest) == "1677-09-21T00:12:45.000000000Z")
        #expect(RFC3339.format(Int64.max) == "2262-04-11T23:47:16.854775807Z")
        #expect(RFC3339.format(Int64.min) == "1677-09-21T00:12:43.145224192Z")
        #expect(RFC3339.format(-1) == "1969-12-31T23:59:59.999999999Z")
    }
}
