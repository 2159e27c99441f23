import Testing
@testable import NetDNSAudit

@Suite struct GoTraceParserTests {
    func parse(_ text: String) -> TraceEvent {
        var copy = text
        return copy.withUTF8 { GoTraceParser.parse(UnsafeRawBufferPointer($0)) }
    }

    @Test(arguments: [
        ("built with netgo build tag; using Go's DNS resolver", ResolverDecision.goBuild),
        ("using the Go DNS resolver", .goBuild),
        ("GODEBUG setting forcing use of Go's resolver", .goForced),
        ("GODEBUG setting forcing use of the Go resolver", .goForced),
        ("cgo resolver not supported; using Go's DNS resolver", .goNoCgo),
        ("ignoring GODEBUG=netdns=cgo as the binary was compiled without support for the cgo resolver", .goIgnoringCgo),
        ("using cgo DNS resolver", .cgoBuild),
        ("using the cgo DNS resolver", .cgoBuild),
        ("GODEBUG setting forcing use of the cgo resolver", .cgoForced),
        ("dynamic selection of DNS resolver", .dynamic),
    ])
    func decisionLines(body: String, decision: ResolverDecision) {
        #expect(parse("go package net: " + body) == .decision(decision))
        #expect(parse("go package net: " + body + "\r") == .decision(decision))
    }

    @Test func notices() {
        #expect(parse("go package net: GODEBUG=netdns contains an invalid dns mode, ignoring it") == .invalidModeNotice)
        #expect(parse("go package net: confVal.netCgo = false  netGo = true") == .confVal(netCgo: false, netGo: true))
        #expect(parse("go package net: confVal.netCgo = true  netGo = false") == .confVal(netCgo: true, netGo: false))
    }

    @Test(arguments: ["cgo", "files", "dns", "files,dns", "dns,files", "hostLookupOrder=7??"])
    func orderValues(value: String) {
        #expect(parse("go package net: hostLookupOrder(api.example) = \(value)") == .order(.forward, LookupOrder(rawValue: value)))
        #expect(parse("go package net: addrLookupOrder(10.0.0.1) = \(value)") == .order(.reverse, LookupOrder(rawValue: value)))
    }

    @Test func go119ReverseFormHasAnEmptyName() {
        #expect(parse("go package net: hostLookupOrder() = cgo") == .order(.reverse, .cgo))
    }

    @Test func unknownWordingIsUnrecognised() {
        #expect(parse("go package net: some future wording") == .unrecognised)
        #expect(parse("go package net: hostLookupOrder(x) = bogus") != .order(.forward, LookupOrder(rawValue: "bogus")))
    }

    @Test func tornLineStartsAndIsRebuilt() {
        let event = parse("go package net: hostLookupOrder(2026/12/03 11:20:00 request served (method=GET, path=/x)")
        guard case .tornOrderStart(.forward, let fragment) = event else {
            Issue.record("not torn: \(event)")
            return
        }
        var tail = "tracking.partner.example.biz) = files,dns"
        let order = tail.withUTF8 { GoTraceParser.rebuild(fragment: fragment, continuation: UnsafeRawBufferPointer($0)) }
        #expect(order == .filesThenDNS)
        var unrelated = "2026/12/03 11:20:01 request served"
        #expect(unrelated.withUTF8 { GoTraceParser.rebuild(fragment: fragment, continuation: UnsafeRawBufferPointer($0)) } == nil)
    }

    @Test func tornAfterTheEqualsSign() {
        let event = parse("go package net: hostLookupOrder(api.example) = {\"level\":\"info\"}")
        guard case .tornOrderStart(_, let fragment) = event else {
            Issue.record("not torn: \(event)")
            return
        }
        var tail = "cgo"
        #expect(tail.withUTF8 { GoTraceParser.rebuild(fragment: fragment, continuation: UnsafeRawBufferPointer($0)) } == .cgo)
    }
}
