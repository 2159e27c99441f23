/// Turns the bytes of one file into ``GoBinaryFacts``: ELF headers, dynamic table, Go build info
/// and the function table, joined into the verdict fields.
public enum BinaryInspector {
    /// Modules that only build with cgo (their Go code calls C): a binary that depends on one
    /// cannot be built with `CGO_ENABLED=0`.
    public static let cgoModules: [String] = [
        "github.com/mattn/go-sqlite3",
        "gocv.io/x/gocv",
        "github.com/confluentinc/confluent-kafka-go",
        "github.com/google/gopacket",
        "github.com/miekg/pkcs11",
        "github.com/ceph/go-ceph",
        "github.com/DataDog/zstd",
        "github.com/linxGnu/grocksdb",
        "github.com/tecbot/gorocksdb",
        "github.com/libgit2/git2go",
        "github.com/godror/godror",
        "github.com/go-gl/glfw",
        "github.com/veandco/go-sdl2",
        "github.com/shirou/gopsutil/v3/internal/cgo",
    ]

    /// Whether `bytes` start like an ELF file (worth inspecting when walking a directory).
    public static func looksLikeELF(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x7F && bytes[1] == 0x45 && bytes[2] == 0x4C && bytes[3] == 0x46
    }

    /// Inspects `bytes`, naming the result `path`.
    public static func inspect(_ bytes: UnsafeRawBufferPointer, path: String) throws(BinaryError) -> GoBinaryFacts {
        let elf = try ELFFile(bytes)
        // A cut file: a loaded segment that ends past the end (real files never do).
        for (i, ph) in elf.programHeaders.enumerated() where ph.type == ELFFile.PT_LOAD {
            let (end, overflow) = ph.offset.addingReportingOverflow(ph.fileSize)
            if overflow || end > bytes.count {
                throw .truncated("segment \(i) (PT_LOAD at offset \(ph.offset), \(ph.fileSize) bytes) ends past the file's \(bytes.count) bytes")
            }
        }
        let interpreter = try elf.interpreter()
        let dynamic = try ELFDynamic(elf)
        let info = try GoBuildInfo.read(elf)
        // Without build info, only a Go section makes the (slower) function table scan worth it.
        guard info != nil || elf.section(named: ".gopclntab") != nil || elf.section(named: ".note.go.buildid") != nil
            || elf.section(named: ".data.rel.ro.gopclntab") != nil else { throw .notGo }
        let table = GoFunctionTable.read(elf)
        guard info != nil || table != nil else { throw .notGo }

        let tags = info?.setting("-tags").map { $0.split(separator: ",").map(String.init) } ?? []
        let godebug = info?.setting("DefaultGODEBUG")
        let cgoPackages = table?.cgoPackages() ?? []
        let cgoResolver = cgoPackages.contains("net")
        let runtimeCgo = table.map { $0.hasFunction(prefix: "runtime/cgo.") || $0.hasFunction(prefix: "_cgo_") } ?? false
        let embedsZoneinfo = table?.hasFunction(prefix: "time/tzdata.") ?? false

        let kind: GoBinaryFacts.ELFKind
        switch elf.type {
        case .executable: kind = .exec
        case .shared: kind = (interpreter != nil || dynamic.flags1 & ELFDynamic.DF_1_PIE != 0) ? .pie : .shared
        default: kind = .other
        }
        let linkage: GoBinaryFacts.Linkage = (interpreter != nil || !dynamic.needed.isEmpty) ? .dynamic : .static
        var deps = Set(info?.dependencies.map(\.path) ?? [])
        if let main = info?.mainModule?.path { deps.insert(main) }
        let cgoModules = cgoModules.filter { known in deps.contains { $0 == known || $0.hasPrefix(known + "/") } }

        return GoBinaryFacts(
            path: path,
            goVersion: info?.goVersion,
            module: info?.mainModule?.path ?? info?.path,
            moduleVersion: info?.mainModule?.version,
            goos: info?.setting("GOOS") ?? (info?.settings.isEmpty == false ? nil : "linux"),
            goarch: info?.setting("GOARCH") ?? goarch(machine: elf.machine, bigEndian: elf.isBigEndian),
            cgoEnabled: info?.setting("CGO_ENABLED").map { $0 == "1" },
            tags: tags,
            ldflags: info?.setting("-ldflags"),
            buildmode: info?.setting("-buildmode"),
            defaultGodebug: godebug,
            cgoModules: cgoModules,
            cgoPackages: cgoPackages,
            elfClass: elf.is64Bit ? 64 : 32,
            bigEndian: elf.isBigEndian,
            machine: goarch(machine: elf.machine, bigEndian: elf.isBigEndian) ?? "machine-\(elf.machine)",
            elfType: kind,
            linkage: linkage,
            interpreter: interpreter,
            needed: dynamic.needed,
            glibcRequired: dynamic.highestGlibcVersion,
            libc: libc(elf, interpreter: interpreter, needed: dynamic.needed, cgoLinked: runtimeCgo || !cgoPackages.isEmpty),
            runtimeCgo: runtimeCgo,
            cgoResolver: cgoResolver,
            resolver: resolver(cgoResolver: cgoResolver, tags: tags, godebug: godebug),
            cgoUserLookup: cgoPackages.contains("os/user"),
            needsCACertificates: (table?.hasFunction(named: "crypto/x509.loadSystemRoots") ?? false)
                && !(table?.hasFunction(prefix: "golang.org/x/crypto/x509roots/fallback.") ?? false),
            needsZoneinfo: (table?.hasFunction(named: "time.LoadLocation") ?? false) && !embedsZoneinfo,
            embedsZoneinfo: embedsZoneinfo,
            functionTable: table?.foundIn,
            functionCount: table?.functionCount ?? 0)
    }

    /// The value of `netdns` in a GODEBUG list (`netdns=go+2` -> `go+2`); the last one wins.
    public static func netdns(inGodebug godebug: String?) -> String? {
        guard let godebug else { return nil }
        var value: String?
        for item in godebug.split(separator: ",") where item.hasPrefix("netdns=") {
            value = String(item.dropFirst(7))
        }
        return value
    }

    /// The resolver mode a `netdns` value asks for: `go`, `cgo` or nil (only a debug level).
    public static func netdnsMode(_ value: String?) -> String? {
        guard let value else { return nil }
        // "go", "cgo", "go+2", "2+cgo", "1".
        for part in value.split(separator: "+") where part == "go" || part == "cgo" { return String(part) }
        return nil
    }

    static func resolver(cgoResolver: Bool, tags: [String], godebug: String?) -> GoBinaryFacts.ResolverCapability {
        guard cgoResolver else { return .pureGo }
        switch netdnsMode(netdns(inGodebug: godebug)) {
        case "go": return .goForced
        case "cgo": return .cgo
        default: return tags.contains("netcgo") ? .cgo : .dynamic
        }
    }

    /// glibc or musl from the loader and the libraries; for a static binary with C linked in,
    /// from glibc's traces (its ABI note, its NSS module names), musl leaving none.
    static func libc(_ elf: ELFFile, interpreter: String?, needed: [String], cgoLinked: Bool) -> GoBinaryFacts.Libc {
        if needed.contains(where: { $0.hasPrefix("libc.musl-") }) { return .musl }
        if needed.contains("libc.so.6") { return .glibc }
        if let interpreter {
            if interpreter.contains("ld-musl-") { return .musl }
            if needed.contains("libc.so") { return .musl }
            if !needed.isEmpty { return .glibc }
        }
        if needed.contains("libc.so") { return .musl }
        guard cgoLinked else { return .none }
        if elf.section(named: ".note.ABI-tag") != nil { return .glibc }
        let bytes = elf.reader.bytes
        if bytes.firstRange(of: "libnss_files.so.2") != nil || bytes.firstRange(of: "GLIBC_PRIVATE") != nil { return .glibc }
        return .musl
    }

    /// Go's name for an ELF machine.
    static func goarch(machine: UInt16, bigEndian: Bool) -> String? {
        switch machine {
        case 62: return "amd64"
        case 183: return "arm64"
        case 3: return "386"
        case 40: return "arm"
        case 21: return bigEndian ? "ppc64" : "ppc64le"
        case 22: return "s390x"
        case 243: return "riscv64"
        case 8: return bigEndian ? "mips" : "mipsle"
        case 258: return "loong64"
        default: return nil
        }
    }
}
