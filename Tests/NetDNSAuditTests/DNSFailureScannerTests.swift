import Testing
@testable import NetDNSAudit

@Suite struct DNSFailureScannerTests {
    func failures(_ text: String) -> [DNSFailure] {
        var out: [DNSFailure] = []
        var copy = text
        copy.withUTF8 { DNSFailureScanner.scan(UnsafeRawBufferPointer($0)) { out.append($0) } }
        return out
    }

    @Test func goResolverNoSuchHostNamesServer() {
        let f = failures(#"{"error":"lookup ledger-v2.payments.svc.cluster.local on 10.96.0.10:53: no such host"}"#)
        #expect(f == [DNSFailure(name: "ledger-v2.payments.svc.cluster.local", server: "10.96.0.10:53", failureClass: .nxdomain, shape: .serverNamed, libc: nil)])
    }
}
