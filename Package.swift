// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "netdns-audit",
    products: [
        .library(name: "NetDNSAudit", targets: ["NetDNSAudit"]),
        .executable(name: "netdns-audit", targets: ["netdns-audit"]),
    ],
    targets: [
        /// `memmem` and other byte primitives that Swift's Glibc module does not expose.
        .target(name: "CNetDNSShim"),
        /// The system zlib, for gzip input.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        /// Release builds skip the runtime exclusivity checks (about 18% of the hot path);
        /// debug builds, and so the tests, keep them.
        .target(
            name: "NetDNSAudit", dependencies: ["CNetDNSShim", "CZlib"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),
        .executableTarget(name: "netdns-audit", dependencies: ["NetDNSAudit"]),
        .testTarget(name: "NetDNSAuditTests", dependencies: ["NetDNSAudit", "netdns-audit"], exclude: ["Fixtures"]),
    ]
)
