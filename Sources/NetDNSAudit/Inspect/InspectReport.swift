import Foundation

/// The saved form of an `inspect` run (`--format json`): one record per binary and per image.
/// Fields are always present; unknown values are `null`.
public struct InspectReport: Sendable, Encodable {
    /// Bumped when a field changes meaning or goes away.
    public static let schemaVersion = 1

    /// One inspected binary: its facts and findings.
    public struct Binary: Sendable, Equatable, Encodable {
        public var facts: GoBinaryFacts
        public var findings: [InspectFinding]

        public init(facts: GoBinaryFacts, findings: [InspectFinding]) {
            self.facts = facts
            self.findings = findings
        }

        enum Keys: String, CodingKey {
            case path, goVersion, module, moduleVersion, goos, goarch, cgoEnabled, tags, ldflags, buildmode, defaultGodebug
            case elfClass, byteOrder, machine, elfType, linkage, interpreter, needed, glibcRequired, libc
            case cgoResolver, resolver, cgoUserLookup, cgoModules, cgoPackages, needsCACertificates, needsZoneinfo, embedsZoneinfo
            case functionTable, findings
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            let f = facts
            try c.encode(f.path, forKey: .path)
            try c.encode(f.goVersion, forKey: .goVersion)
            try c.encode(f.module, forKey: .module)
            try c.encode(f.moduleVersion, forKey: .moduleVersion)
            try c.encode(f.goos, forKey: .goos)
            try c.encode(f.goarch, forKey: .goarch)
            try c.encode(f.cgoEnabled, forKey: .cgoEnabled)
            try c.encode(f.tags, forKey: .tags)
            try c.encode(f.ldflags, forKey: .ldflags)
            try c.encode(f.buildmode, forKey: .buildmode)
            try c.encode(f.defaultGodebug, forKey: .defaultGodebug)
            try c.encode(f.elfClass, forKey: .elfClass)
            try c.encode(f.bigEndian ? "big" : "little", forKey: .byteOrder)
            try c.encode(f.machine, forKey: .machine)
            try c.encode(f.elfType, forKey: .elfType)
            try c.encode(f.linkage, forKey: .linkage)
            try c.encode(f.interpreter, forKey: .interpreter)
            try c.encode(f.needed, forKey: .needed)
            try c.encode(f.glibcRequired, forKey: .glibcRequired)
            try c.encode(f.libc, forKey: .libc)
            try c.encode(f.cgoResolver, forKey: .cgoResolver)
            try c.encode(f.resolver, forKey: .resolver)
            try c.encode(f.cgoUserLookup, forKey: .cgoUserLookup)
            try c.encode(f.cgoModules, forKey: .cgoModules)
            try c.encode(f.cgoPackages, forKey: .cgoPackages)
            try c.encode(f.needsCACertificates, forKey: .needsCACertificates)
            try c.encode(f.needsZoneinfo, forKey: .needsZoneinfo)
            try c.encode(f.embedsZoneinfo, forKey: .embedsZoneinfo)
            try c.encode(f.functionTable, forKey: .functionTable)
            try c.encode(findings, forKey: .findings)
        }
    }

    /// One inspected image.
    public struct Image: Sendable, Encodable {
        /// The image's path as given.
        public var image: String
        /// `docker-save`, `docker-save-oci`, `oci-layout`, `rootfs`.
        public var format: String
        /// The entrypoint as configured (Entrypoint + Cmd), resolved to a path when possible.
        public var entrypoint: [String]
        /// The entrypoint's path in the image, after PATH lookup and symlinks.
        public var entrypointPath: String?
        /// What the image's files say (libc, CA bundle, zoneinfo, nsswitch.conf, OS).
        public var environment: ImageEnvironment
        public var binaries: [Binary]
        /// Every binary's findings and the image's own.
        public var findings: [InspectFinding]

        public init(image: String, format: String, entrypoint: [String], entrypointPath: String?, environment: ImageEnvironment,
                    binaries: [Binary], findings: [InspectFinding]) {
            self.image = image
            self.format = format
            self.entrypoint = entrypoint
            self.entrypointPath = entrypointPath
            self.environment = environment
            self.binaries = binaries
            self.findings = findings
        }
    }

    public var binaries: [Binary]
    public var images: [Image]
    /// One line per input that could not be inspected (file and problem).
    public var errors: [String]

    public init(binaries: [Binary] = [], images: [Image] = [], errors: [String] = []) {
        self.binaries = binaries
        self.images = images
        self.errors = errors
    }

    enum Keys: String, CodingKey { case schemaVersion, binaries, images, errors }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(Self.schemaVersion, forKey: .schemaVersion)
        try c.encode(binaries, forKey: .binaries)
        try c.encode(images, forKey: .images)
        try c.encode(errors, forKey: .errors)
    }

    /// Every finding of every binary and image.
    public var allFindings: [InspectFinding] {
        binaries.flatMap(\.findings) + images.flatMap(\.findings)
    }

    /// Pretty, key-sorted JSON.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}
