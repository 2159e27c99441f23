import Testing
@testable import NetDNSAudit

@Suite struct DNSFailureScannerTests {
    func failures(_ text: String) -> [DNSFailure] {
        var out: [DNSFailure] = []
        var copy = text
        copy.withUTF8 { DNSFailureScanner.scan(UnsafeRawBufferPointer($0)) { out.append($0) } }
        return out
    }

    func one(_ text: String) -> DNSFailure? {
        let all = failures(text)
        #expect(all.count == 1, "\(text)")
        return all.first
    }

    @Test func goResolverNoSuchHostNamesServer() {
        let f = failures(#"{"error":"lookup ledger-v2.payments.svc.cluster.local on 10.96.0.10:53: no such host"}"#)
        #expect(f == [DNSFailure(name: "ledger-v2.payments.svc.cluster.local", server: "10.96.0.10:53", failureClass: .nxdomain, shape: .serverNamed, libc: nil)])
    }

    @Test(arguments: [
        ("lookup a.example on 10.96.0.10:53: server misbehaving", FailureClass.servfail),
        ("lookup a.example on 10.96.0.10:53: read udp 10.244.0.109:50512->10.96.0.10:53: i/o timeout", .timeout),
        (#"lookup a.example on 10.96.0.10:53: read udp 10.244.1.5:40000-\u003e10.96.0.10:53: i/o timeout"#, .timeout),
        ("lookup a.example on 10.96.0.10:53: read udp 10.244.1.5:40000->10.96.0.10:53: read: connection refused", .refused),
        ("lookup a.example on 10.96.0.10:53: dial udp 10.96.0.10:53: connect: connection refused", .refused),
        ("lookup a.example on 10.96.0.10:53: no answer from DNS server", .other),
        ("lookup a.example on 10.96.0.10:53: cannot unmarshal DNS message", .other),
        ("lookup a.example on [fd00::10]:53: lame referral", .other),
        ("lookup a.example on 10.96.0.10:53: something new in go1.30", .other),
    ])
    func goResolverTexts(text: String, expected: FailureClass) {
        let f = one("error: " + text)
        #expect(f?.failureClass == expected)
        #expect(f?.shape == .serverNamed)
        #expect(f?.libc == nil)
        #expect(f?.name == "a.example")
    }

    @Test(arguments: [
        ("Temporary failure in name resolution", FailureClass.temporary, Libc.glibc),
        ("Name or service not known", .nxdomain, .glibc),
        ("No address associated with hostname", .nodata, .glibc),
        ("Non-recoverable failure in name resolution", .servfail, .glibc),
        ("Try again", .temporary, .musl),
        ("Name does not resolve", .nxdomain, .musl),
        ("Name has no usable address", .nodata, .musl),
        ("Non-recoverable error", .servfail, .musl),
    ])
    func libcTexts(reason: String, expected: FailureClass, libc: Libc) {
        let f = one(#"Get "http://auth.corp.example.net:8080/healthz": dial tcp: lookup auth.corp.example.net: "# + reason)
        #expect(f?.failureClass == expected)
        #expect(f?.shape == .libcText)
        #expect(f?.libc == libc)
        #expect(f?.server == nil)
    }

    @Test func serverlessNoSuchHostIsAmbiguous() {
        let f = one(#"time="2026-11-20T11:00:05Z" level=error error="dial tcp: lookup cdn-origin.shop.example.com: no such host""#)
        #expect(f?.shape == .ambiguousNoSuchHost)
        #expect(f?.failureClass == .nxdomain)
    }

    @Test func reverseLookupOfIPv6AddressWithLibcText() {
        let f = one("lookup fd00:96::33:7: Name or service not known")
        #expect(f?.name == "fd00:96::33:7")
        #expect(f?.libc == .glibc)
    }

    @Test func jsonEscapedQuotesAroundTheError() {
        let line = #"{"log":"level=error msg=\"health check failed\" error=\"Get \\\"http://x:8080/\\\": dial tcp: lookup x on 10.0.0.2:53: no such host\"\n"}"#
        #expect(one(line)?.server == "10.0.0.2:53")
    }

    @Test func twoSocketErrorsOnOneLineKeepTheirOwnClasses() {
        let f = failures("retry: lookup a on 10.0.0.1:53: read udp 10.1.1.1:5->10.0.0.1:53: read: connection refused; then lookup b on 10.0.0.1:53: read udp 10.1.1.1:6->10.0.0.1:53: i/o timeout")
        #expect(f.map(\.failureClass) == [.refused, .timeout])
        #expect(f.map(\.name) == ["a", "b"])
    }

    @Test func firstMentionOffsetSkipsWordsThatAreNotErrors() {
        var text = #"{"msg":"cache lookup failed","error":"dial tcp: lookup db on 10.0.0.2:53: no such host"}"#
        let offset = text.withUTF8 { DNSFailureScanner.firstMentionOffset(UnsafeRawBufferPointer($0)) }
        #expect(offset == text.utf8.count - "lookup db on 10.0.0.2:53: no such host\"}".utf8.count)
    }

    @Test func everyMentionCounts() {
        let f = failures("lookup a on 1.1.1.1:53: no such host; retry: lookup a on 1.1.1.1:53: no such host")
        #expect(f.count == 2)
    }

    @Test(arguments: [
        "cache lookup failed: key not found",
        "user lookup failed for id 42",
        "nslookup foo.example: no such host",
        "  at net.(*conf).hostLookupOrder(0xc000010000, 0x0, {0x6a3b2c, 0x9})",
        "java.net.UnknownHostException: db.example: Name or service not known",
        "socket.gaierror: [Errno -2] Name or service not known",
        "Error: getaddrinfo ENOTFOUND api.example at GetAddrInfoReqWrap.onlookup [as oncomplete]",
        "dns lookup: started for 3 names",
        "lookup failed: timeout",
        "lookup table: loaded 42 entries",
        "lookup x: not a DNS error text",
        "lookup a on somewhere: no such host",
    ])
    func noFalsePositives(text: String) {
        #expect(failures(text).isEmpty, "\(text)")
    }
}
