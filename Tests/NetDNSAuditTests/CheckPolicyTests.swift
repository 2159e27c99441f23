import Foundation
import Testing
@testable import NetDNSAudit

@Suite struct CheckPolicyTests {
    let shop = CheckFixtures.report(CheckFixtures.shop)
    let billing = CheckFixtures.report(CheckFixtures.billing)
    let price = CheckFixtures.report(CheckFixtures.priceCLI)

    @Test func defaultPolicyFailsEachCgoInstanceOfShop() {
        let result = CheckPolicy().evaluate(shop)
        #expect(result.violations.count == 2)
        #expect(result.violations.allSatisfy { $0.rule == .resolverPath && $0.service == "inventory" })
        #expect(result.violations.map(\.instance) == ["inventory-6b7c9d8f5-h7j2k", "inventory-6b7c9d8f5-w4n8d"])
        #expect(result.violations.map { $0.location?.line } == [47, 73])
        #expect(result.violations[0].evidence == "go package net: hostLookupOrder(auth.corp.example.net) = cgo")
        #expect(result.violations[0].location?.file == CheckFixtures.shop)
        #expect(result.warnings.isEmpty)
        #expect(result.verdictLine == "check failed: 2 violations in 1 of 4 services")
        #expect(result.services.map(\.status) == [.passed, .passed, .failed, .passed])
    }

    @Test func pureGoInputPasses() {
        let result = CheckPolicy().evaluate(price)
        #expect(result.passed)
        #expect(result.verdictLine == "check passed: 1 service")
    }

    @Test func defaultPolicyOnBillingFailsCgoAndMixedAndWarnsUndetermined() {
        let result = CheckPolicy().evaluate(billing)
        #expect(result.violations.count == 4)
        #expect(Set(result.violations.map(\.service)) == ["ledger", "label-service", "session-store"])
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.service == "fx-rates")
        #expect(result.warnings.first?.rule == .undetermined)
        #expect(result.verdictLine == "check failed: 4 violations in 3 of 6 services (1 warning)")
    }

    @Test(arguments: [(UndeterminedHandling.fail, 5, 0), (.warn, 4, 1), (.pass, 4, 0)])
    func undeterminedHandling(handling: UndeterminedHandling, violations: Int, warnings: Int) {
        let result = CheckPolicy(undetermined: handling).evaluate(billing)
        #expect(result.violations.count == violations)
        #expect(result.warnings.count == warnings)
    }

    @Test func allowPatternExemptsAndStillReports() {
        let result = CheckPolicy(allow: ["label-*", "l?dger"]).evaluate(billing)
        #expect(result.violations.count == 1)
        #expect(result.violations.first?.service == "session-store")
        let allowed = result.services.filter { $0.status == .allowed }
        #expect(allowed.map(\.name) == ["label-service", "ledger"])
        #expect(allowed.map(\.allowedBy) == ["label-*", "l?dger"])
        #expect(allowed.map(\.exempted.count) == [1, 2])
        #expect(result.verdictLine == "check failed: 1 violation in 1 of 6 services (1 warning, 2 allowed)")
    }

    @Test func allowDoesNotExemptDNSHealthGates() {
        let result = CheckPolicy(allow: ["inventory"], failOn: [.temporary]).evaluate(shop)
        #expect(result.violations.count == 1)
        #expect(result.violations.first?.rule == .failOn)
        #expect(result.services.first { $0.name == "inventory" }?.status == .failed)
    }

    @Test func requireTraceFailsInstancesWithoutTrace() {
        let result = CheckPolicy(requireTrace: true).evaluate(shop)
        let trace = result.violations.filter { $0.rule == .requireTrace }
        #expect(trace.count == 1)
        #expect(trace.first?.instance == "cart-59f7c8d6b4-zz8tq")
        #expect(result.violations.count == 3)
        #expect(CheckPolicy(requireTrace: true).evaluate(price).passed)
        #expect(CheckPolicy(requireTrace: true).evaluate(billing).violations.count == 4)
    }

    @Test func maxFailuresCountsPerService() {
        #expect(CheckPolicy(maxFailures: 5).evaluate(price).violations.count == 1)
        #expect(CheckPolicy(maxFailures: 6).evaluate(price).passed)
        // billing: billing-api 8, billing-worker 10, label-service 5, ledger 10, session-store 4.
        let billingResult = CheckPolicy(undetermined: .pass, maxFailures: 8).evaluate(billing)
        let gates = billingResult.violations.filter { $0.rule == .maxFailures }
        #expect(gates.map(\.service) == ["billing-worker", "ledger"])
        #expect(gates.first?.message == "10 DNS failures, more than the allowed 8")
        #expect(CheckPolicy(maxFailures: 0).evaluate(shop).violations.filter { $0.rule == .maxFailures }.count == 4)
    }

    @Test func failOnClasses() {
        #expect(CheckPolicy(failOn: [.timeout]).evaluate(price).violations.count == 1)
        #expect(CheckPolicy(failOn: [.refused, .nodata]).evaluate(price).passed)
        let shopResult = CheckPolicy(failOn: [.refused]).evaluate(shop)
        #expect(shopResult.violations.filter { $0.rule == .failOn }.map(\.service) == ["cart"])
        #expect(shopResult.violations.count == 3)
        // servfail in billing-api, billing-worker, label-service, session-store; temporary in ledger.
        let both = CheckPolicy(failOn: [.servfail, .temporary]).evaluate(billing)
        #expect(both.violations.filter { $0.rule == .failOn }.count == 5)
    }

    @Test func expectedServices() {
        let result = CheckPolicy(expectServices: ["price-cli", "cart", "cart"]).evaluate(price)
        #expect(result.violations.count == 1)
        #expect(result.violations.first?.rule == .expectedService)
        #expect(result.services.last?.status == .missing)
        #expect(result.verdictLine == "check failed: 1 violation in 1 of 2 services")
        #expect(CheckPolicy(expectServices: ["cart", "checkout", "inventory-reindex"]).evaluate(shop).violations.count == 2)
    }

    @Test func mergedSavedReportsCheckLikeTheirInputs() throws {
        let saved = try [shop, price].map { try AuditReport.decode($0.jsonData()).summary }
        let merged = AuditReport(saved[0].merging(saved[1]))
        let result = CheckPolicy().evaluate(merged)
        #expect(result.services.count == 5)
        #expect(result.violations.count == 2)
        #expect(result == CheckPolicy().evaluate(CheckFixtures.report(CheckFixtures.shop, CheckFixtures.priceCLI)))
    }

    @Test func policyFileDecodes() throws {
        let json = #"{"allow":["legacy-*"],"undetermined":"fail","requireTrace":true,"maxFailures":3,"failOn":["servfail","timeout"],"expectServices":["cart"]}"#
        let policy = try CheckPolicy.decode(Data(json.utf8))
        #expect(policy == CheckPolicy(allow: ["legacy-*"], undetermined: .fail, requireTrace: true, maxFailures: 3, failOn: [.servfail, .timeout], expectServices: ["cart"]))
        #expect(try CheckPolicy.decode(Data("{}".utf8)) == CheckPolicy())
    }

    @Test func policyFileRejectsMistakes() {
        #expect(throws: PolicyFileError.self) { try CheckPolicy.decode(Data(#"{"alow":["x"]}"#.utf8)) }
        #expect(throws: PolicyFileError.self) { try CheckPolicy.decode(Data(#"{"failOn":["dns"]}"#.utf8)) }
        #expect(throws: PolicyFileError.self) { try CheckPolicy.decode(Data(#"{"maxFailures":-1}"#.utf8)) }
        #expect(throws: PolicyFileError.self) { try CheckPolicy.decode(Data("[1]".utf8)) }
        do {
            _ = try CheckPolicy.decode(Data(#"{"alow":["x"]}"#.utf8))
        } catch {
            #expect(error.description.contains("unknown key 'alow'"))
        }
    }

    @Test(arguments: [
        ("*", "anything", true), ("legacy-*", "legacy-api", true), ("legacy-*", "api-legacy", false),
        ("?at", "cat", true), ("?at", "at", false), ("[cb]art", "bart", true), ("[!cb]art", "cart", false),
        ("[a-c]*", "billing", true), ("[a-c]*", "ledger", false), ("a\\*", "a*", true), ("a\\*", "ab", false),
        ("*-worker", "billing-worker", true), ("*a*b*c", "xaxbxc", true), ("*a*b*c", "xaxbx", false),
        ("shop/*", "shop/cart", true), ("[", "[", true), ("[]]", "]", true), ("[^a]", "b", true),
    ])
    func globPatterns(pattern: String, name: String, matches: Bool) {
        #expect(GlobPattern(pattern).matches(name) == matches)
    }
}
