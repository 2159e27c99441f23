import Foundation
import Testing
@testable import NetDNSAudit

/// Real third-party Go binaries, where the machine has them (skipped where absent): every one
/// must read fully; the builds checked by hand (`go version -m`, `readelf`) must match exactly.
@Suite struct ThirdPartyBinaryTests {
    struct Known: Sendable, CustomStringConvertible {
        var path: String
        var goVersion: String
        var libc: GoBinaryFacts.Libc
        var resolver: GoBinaryFacts.ResolverCapability
        var functionTable: String
        var buildmode: String?
        var cgoPackages: [String]
        var description: String { path }
    }

    static let known: [Known] = [
        // docker CLI: records -buildmode=pie but is a static ELF EXEC linked with musl; its pclntab
        // has no section of its own.
        Known(path: "/usr/local/bin/docker", goVersion: "go1.24.3", libc: .musl, resolver: .dynamic, functionTable: "scan",
              buildmode: "pie", cgoPackages: ["github.com/miekg/pkcs11", "net"]),
        Known(path: "/usr/sbin/runc", goVersion: "go1.19.8", libc: .glibc, resolver: .dynamic, functionTable: ".gopclntab",
              buildmode: nil, cgoPackages: ["github.com/seccomp/libseccomp-golang", "net", "os/user"]),
        Known(path: "/usr/bin/kubectl", goVersion: "go1.23.8", libc: .none, resolver: .pureGo, functionTable: ".gopclntab",
              buildmode: "exe", cgoPackages: []),
        Known(path: "/usr/local/bin/terraform", goVersion: "go1.23.3", libc: .none, resolver: .pureGo, functionTable: ".gopclntab",
              buildmode: "exe", cgoPackages: []),
    ]

    @Test(arguments: known)
    func thirdParty(_ known: Known) throws {
        guard FileManager.default.fileExists(atPath: known.path) else { return }
        let binary = try Inspector().inspectBinary(path: known.path)
        let facts = binary.facts
        #expect(facts.functionCount > 10_000)
        guard facts.goVersion == known.goVersion else { return } // another build than the one checked
        #expect(facts.libc == known.libc)
        #expect(facts.resolver == known.resolver)
        #expect(facts.functionTable == known.functionTable)
        #expect(facts.buildmode == known.buildmode)
        #expect(facts.cgoPackages == known.cgoPackages)
    }
}
