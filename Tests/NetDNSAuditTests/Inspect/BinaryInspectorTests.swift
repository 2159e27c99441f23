import Foundation
import Testing
@testable import NetDNSAudit

/// Every field `inspect` reports for the real fixture binaries, checked against what
/// `go version -m` and `readelf` recorded beside them, and (for the fields no tool prints)
/// against how each binary was built.
@Suite struct BinaryInspectorTests {
    static func facts(_ name: String) throws -> GoBinaryFacts {
        let bytes = try BinaryBytes.read(path: InspectFixtures.path(name))
        return try BinaryInspector.inspect(bytes.buffer, path: name)
    }

    @Test func fixturesArePresent() {
        #expect(InspectFixtures.names.count == 23)
    }

    @Test(arguments: InspectFixtures.names)
    func buildInfoMatchesGoVersionM(_ name: String) throws {
        let facts = try Self.facts(name)
        let reference = InspectFixtures.goVersion(name)
        #expect(!reference.goVersion.isEmpty)
        #expect(facts.goVersion == reference.goVersion)
        #expect(facts.module == reference.module)
        #expect(facts.moduleVersion == reference.moduleVersion)
        #expect(facts.goos == reference.setting("GOOS"))
        #expect(facts.goarch == reference.setting("GOARCH"))
        #expect(facts.cgoEnabled == reference.setting("CGO_ENABLED").map { $0 == "1" })
        #expect(facts.tags == (reference.setting("-tags").map { $0.split(separator: ",").map(String.init) } ?? []))
        #expect(facts.ldflags == reference.setting("-ldflags"))
        #expect(facts.buildmode == reference.setting("-buildmode"))
        #expect(facts.defaultGodebug == reference.setting("DefaultGODEBUG"))
        // The full module info, line by line.
        let bytes = try BinaryBytes.read(path: InspectFixtures.path(name))
        let info = try #require(try GoBuildInfo.read(try ELFFile(bytes.buffer)))
        #expect(info.settings.map(\.key) == reference.settings.map(\.0))
        #expect(info.settings.map(\.value) == reference.settings.map(\.1))
        #expect(info.dependencies.map(\.path) == reference.deps)
        #expect(info.path == reference.path)
    }

    @Test(arguments: InspectFixtures.names)
    func elfFieldsMatchReadelf(_ name: String) throws {
        let facts = try Self.facts(name)
        let reference = InspectFixtures.readelf(name)
        #expect(facts.elfClass == (reference.is64 ? 64 : 32))
        #expect(facts.bigEndian == reference.bigEndian)
        #expect(facts.interpreter == reference.interpreter)
        #expect(facts.needed == reference.needed)
        let glibc = reference.versions.filter { $0.hasPrefix("GLIBC_") }.map { String($0.dropFirst(6)) }
            .max { GlibcVersion.isOlder($0, than: $1) }
        #expect(facts.glibcRequired == glibc)
        switch reference.type {
        case "EXEC": #expect(facts.elfType == .exec)
        case "DYN": #expect(facts.elfType == (reference.pieFlag || reference.interpreter != nil ? .pie : .shared))
        default: Issue.record("readelf type \(reference.type)")
        }
        let expectedLinkage: GoBinaryFacts.Linkage = reference.interpreter != nil || !reference.needed.isEmpty ? .dynamic : .static
        #expect(facts.linkage == expectedLinkage)
        let machines = ["Advanced Micro Devices X86-64": "amd64", "AArch64": "arm64", "Intel 80386": "386", "PowerPC64": "ppc64"]
        #expect(facts.machine == machines[reference.machine])
        #expect(facts.functionTable != nil)
        #expect(facts.functionCount > 1000)
    }

    /// What the build recipe (Scripts/build-inspect-fixtures.sh) decides and no tool prints:
    /// cgo resolver, libc, resolver capability, CA bundle and zone data needs.
    struct Truth: Sendable, CustomStringConvertible {
        var name: String
        var cgoResolver: Bool
        var libc: GoBinaryFacts.Libc
        var resolver: GoBinaryFacts.ResolverCapability
        var needsCA = false
        var needsZoneinfo = true
        var cgoModules: [String] = []
        var description: String { name }
    }

    static let truths: [Truth] = [
        Truth(name: "go127-cgo0-stripped", cgoResolver: false, libc: .none, resolver: .pureGo),
        Truth(name: "go127-cgo1-stripped", cgoResolver: true, libc: .glibc, resolver: .dynamic),
        Truth(name: "go127-cgo1-unstripped", cgoResolver: true, libc: .glibc, resolver: .dynamic),
        Truth(name: "go127-netgo", cgoResolver: false, libc: .none, resolver: .pureGo),
        Truth(name: "go127-netcgo", cgoResolver: true, libc: .glibc, resolver: .cgo),
        Truth(name: "go127-musl-dynamic", cgoResolver: true, libc: .musl, resolver: .dynamic),
        Truth(name: "go127-musl-static", cgoResolver: true, libc: .musl, resolver: .dynamic),
        Truth(name: "go127-glibc-static", cgoResolver: true, libc: .glibc, resolver: .dynamic),
        Truth(name: "go127-pie-cgo0", cgoResolver: false, libc: .none, resolver: .pureGo),
        Truth(name: "go127-pie-cgo1", cgoResolver: true, libc: .glibc, resolver: .dynamic),
        Truth(name: "go127-godebug-netdns-go", cgoResolver: true, libc: .glibc, resolver: .goForced),
        Truth(name: "go127-tls-cgo0", cgoResolver: false, libc: .none, resolver: .pureGo, needsCA: true, needsZoneinfo: false),
        Truth(name: "go127-sqlite-cgo1", cgoResolver: true, libc: .glibc, resolver: .dynamic, needsZoneinfo: false,
              cgoModules: ["github.com/mattn/go-sqlite3"]),
        Truth(name: "go127-tiny-tzdata", cgoResolver: false, libc: .none, resolver: .pureGo, needsZoneinfo: false),
        Truth(name: "go127-tiny", cgoResolver: false, libc: .none, resolver: .pureGo),
        Truth(name: "go127-tiny-arm64", cgoResolver: false, libc: .none, resolver: .pureGo),
        Truth(name: "go127-tiny-arm64-pie", cgoResolver: false, libc: .none, resolver: .pureGo),
        Truth(name: "go127-tiny-386", cgoResolver: false, libc: .none, resolver: .pureGo),
        Truth(name: "go127-tiny-ppc64", cgoResolver: false, libc: .none, resolver: .pureGo),
        Truth(name: "go119-cgo0-stripped", cgoResolver: false, libc: .none, resolver: .pureGo),
        Truth(name: "go119-cgo1-unstripped", cgoResolver: true, libc: .glibc, resolver: .dynamic),
        Truth(name: "go119-netgo", cgoResolver: false, libc: .none, resolver: .pureGo),
        Truth(name: "go119-tiny-arm64", cgoResolver: false, libc: .none, resolver: .pureGo),
    ]

    @Test func everyFixtureHasATruth() {
        #expect(Self.truths.map(\.name).sorted() == InspectFixtures.names)
    }

    @Test(arguments: truths)
    func verdictFieldsMatchTheBuild(_ truth: Truth) throws {
        let facts = try Self.facts(truth.name)
        #expect(facts.cgoResolver == truth.cgoResolver)
        #expect(facts.libc == truth.libc)
        #expect(facts.resolver == truth.resolver)
        #expect(facts.needsCACertificates == truth.needsCA)
        #expect(facts.needsZoneinfo == truth.needsZoneinfo)
        #expect(facts.embedsZoneinfo == (truth.name.contains("tzdata")))
        #expect(facts.cgoModules == truth.cgoModules)
        // cgo code is linked in exactly when CGO_ENABLED=1 and netgo did not take it out.
        #expect(facts.runtimeCgo == truth.cgoResolver)
        #expect(facts.cgoPackages.contains("net") == truth.cgoResolver)
    }
}
