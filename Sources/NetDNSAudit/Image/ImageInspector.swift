#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Inspects a container image: reads it once as a stream (an archive) or blob by blob (an OCI
/// layout), builds the merged filesystem, and judges the entrypoint and every other Go binary.
public struct ImageInspector: Sendable {
    public var maxBinaryBytes: Int
    /// JSON members (manifests, configs) larger than this are not kept.
    public static let maxJSONBytes = 16 << 20

    public init(maxBinaryBytes: Int = 1 << 30) { self.maxBinaryBytes = maxBinaryBytes }

    /// The report of one image, and problems met on the way (a damaged layer, a binary that
    /// could not be read) that did not stop the rest.
    public struct Result: Sendable {
        public var report: InspectReport.Image
        public var problems: [InspectError]
    }

    public func inspect(path: String, kind: ImageSource.Kind) throws(InspectError) -> Result {
        switch kind {
        case .archive: return try inspectArchive(path)
        case .ociLayoutDirectory: return try inspectLayout(path)
        case .rootDirectory: return try inspectRoot(path)
        }
    }

    // MARK: Archives (docker save, OCI archive), one pass

    /// What one member of the image archive held.
    enum Blob {
        case json([UInt8])
        case layer([ImageFile])
        /// A member that is a layer but could not be read (unknown compression, damage).
        case broken(String)
    }

    func inspectArchive(_ path: String) throws(InspectError) -> Result {
        let file: FileDescriptorSource
        do { file = try FileDescriptorSource(path: path) } catch { throw InspectError(error) }
        return try inspectArchive(file, name: path)
    }

    /// Reads an image archive from any stream (a file, standard input, memory), once.
    public func inspectArchive(_ file: any ByteSource, name path: String) throws(InspectError) -> Result {
        let outer: any ByteSource
        do { outer = try ImageSource.decompressed(file, name: path) } catch { throw InspectError(error) }
        let tar = TarReader(outer, archiveName: path)
        defer { tar.close() }
        var blobs: [String: Blob] = [:]
        var hasOCILayout = false
        let scanner = LayerScanner(reader: ImageFileReader(maxBinaryBytes: maxBinaryBytes))
        var archiveProblem: InspectError?
        do throws(InputError) {
            while let member = try tar.nextMember() {
                if member.path == "oci-layout" { hasOCILayout = true }
                let memberSource = TarMemberSource(tar)
                let peek = PeekableSource(memberSource, peeking: 512)
                let head = peek.prefix
                let first = head.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
                if first == 0x7B || first == 0x5B {
                    guard member.size <= Self.maxJSONBytes else { continue }
                    var source = peek
                    let bytes = try BinaryBytes.read(&source, name: "\(path): \(member.path)", expected: member.size, limit: Self.maxJSONBytes)
                    blobs[member.path] = .json(Array(bytes.buffer))
                    continue
                }
                let name = "\(path): layer \(member.path)"
                if ImageSource.compression(head) != nil || member.size == 0 {
                    do throws(InputError) {
                        let decoded = try ImageSource.decompressed(peek, name: name)
                        let layerTar = TarReader(decoded, archiveName: name)
                        var files: [ImageFile] = []
                        do throws(InputError) {
                            try scanner.scan(layerTar, into: &files)
                            blobs[member.path] = .layer(files)
                        } catch {
                            // The outer archive's own damage ends everything; the layer's alone ends the layer.
                            if let failure = tar.failure { throw failure }
                            blobs[member.path] = .broken(error.description)
                        }
                    } catch {
                        if let failure = tar.failure { throw failure }
                        blobs[member.path] = .broken(error.description)
                    }
                } else if let known = ImageSource.unknownCompression(head) {
                    blobs[member.path] = .broken("\(name): layer with an unknown compression (\(known)); netdns-audit reads tar, tar+gzip and tar+zstd")
                }
            }
        } catch {
            archiveProblem = InspectError(error)
        }
        let read: (String) -> [UInt8]? = { p in
            if case .json(let b)? = blobs[p] { return b }
            return nil
        }
        let manifest: ImageManifest
        do {
            manifest = try ImageManifest.resolve(read: read, hasOCILayout: hasOCILayout)
        } catch {
            if let archiveProblem { throw archiveProblem }
            guard case .problem(let text) = error else { throw InspectError(path: path, reason: "no image manifest") }
            throw InspectError(path: path, reason: "not a container image: \(text)")
        }
        var problems: [InspectError] = archiveProblem.map { [$0] } ?? []
        var layers: [[ImageFile]] = []
        for layer in manifest.layers {
            switch blobs[layer] {
            case .layer(let files)?: layers.append(files)
            case .broken(let reason)?: problems.append(InspectError(path: path, reason: Self.strip(reason, path)))
            case .json?: problems.append(InspectError(path: path, reason: "layer \(layer) is JSON, not a tar stream"))
            case nil: problems.append(InspectError(path: path, reason: "layer \(layer) listed in the manifest is missing from the archive"))
            }
        }
        let config = read(manifest.config).flatMap(ImageManifest.config)
        if config == nil { problems.append(InspectError(path: path, reason: "image config \(manifest.config) is missing or not JSON")) }
        return judge(path: path, format: manifest.format, layers: layers, config: config ?? ImageManifest.Config(), problems: problems)
    }

    static func strip(_ reason: String, _ path: String) -> String {
        reason.hasPrefix(path + ": ") ? String(reason.dropFirst(path.count + 2)) : reason
    }

    // MARK: OCI layout directories

    func inspectLayout(_ dir: String) throws(InspectError) -> Result {
        let read: (String) -> [UInt8]? = { p in
            guard let bytes = try? BinaryBytes.read(path: dir + "/" + p), bytes.count <= Self.maxJSONBytes else { return nil }
            return Array(bytes.buffer)
        }
        let manifest: ImageManifest
        do { manifest = try ImageManifest.resolve(read: read, hasOCILayout: true) } catch {
            guard case .problem(let text) = error else { throw InspectError(path: dir, reason: "no image manifest") }
            throw InspectError(path: dir, reason: "not a usable OCI layout: \(text)")
        }
        var problems: [InspectError] = []
        var layers: [[ImageFile]] = []
        let scanner = LayerScanner(reader: ImageFileReader(maxBinaryBytes: maxBinaryBytes))
        for layer in manifest.layers {
            let blobPath = dir + "/" + layer
            var files: [ImageFile] = []
            do {
                let file = try FileDescriptorSource(path: blobPath)
                let tar = TarReader(try ImageSource.decompressed(file, name: blobPath), archiveName: blobPath)
                defer { tar.close() }
                try scanner.scan(tar, into: &files)
                layers.append(files)
            } catch {
                problems.append(InspectError(error))
            }
        }
        let config = read(manifest.config).flatMap(ImageManifest.config)
        if config == nil { problems.append(InspectError(path: dir, reason: "image config \(manifest.config) is missing or not JSON")) }
        var format = manifest.format
        if format == "docker-save-oci" { format = "oci-layout" }
        return judge(path: dir, format: format, layers: layers, config: config ?? ImageManifest.Config(), problems: problems)
    }

    // MARK: Unpacked root filesystems

    func inspectRoot(_ root: String) throws(InspectError) -> Result {
        var info = stat()
        guard stat(root, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw InspectError(path: root, reason: "--root needs a directory (an unpacked image root filesystem)")
        }
        let reader = ImageFileReader(maxBinaryBytes: maxBinaryBytes)
        var files: [ImageFile] = []
        var problems: [InspectError] = []
        var stack = [""]
        while let rel = stack.popLast() {
            let dir = rel.isEmpty ? root : root + "/" + rel
            guard let handle = opendir(dir) else { problems.append(InspectError(path: dir, reason: "cannot open: \(String(cString: strerror(errno)))")); continue }
            var names: [String] = []
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(handle)
            for name in names.sorted() {
                let relPath = rel.isEmpty ? name : rel + "/" + name
                let full = root + "/" + relPath
                var st = stat()
                guard lstat(full, &st) == 0 else { continue }
                let mode = Int(st.st_mode & 0o7777)
                switch st.st_mode & S_IFMT {
                case S_IFDIR:
                    files.append(ImageFile(path: relPath, kind: .directory, mode: mode))
                    stack.append(relPath)
                case S_IFLNK:
                    var buffer = [CChar](repeating: 0, count: 4097)
                    let n = readlink(full, &buffer, 4096)
                    let target = n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
                    files.append(ImageFile(path: relPath, kind: .symlink(target: target), mode: mode))
                case S_IFREG:
                    let size = Int(st.st_size)
                    do {
                        var source = try FileDescriptorSource(path: full)
                        defer { source.close() }
                        let content = try reader.content(path: relPath, mode: mode, size: size, source: &source)
                        files.append(ImageFile(path: relPath, kind: .regular, mode: mode, size: size, content: content))
                    } catch {
                        problems.append(InspectError(error))
                        files.append(ImageFile(path: relPath, kind: .regular, mode: mode, size: size))
                    }
                default:
                    files.append(ImageFile(path: relPath, kind: .other, mode: mode))
                }
            }
        }
        return judge(path: root, format: "rootfs", layers: [files], config: ImageManifest.Config(), problems: problems)
    }

    // MARK: The verdict

    func judge(path: String, format: String, layers: [[ImageFile]], config: ImageManifest.Config, problems: [InspectError]) -> Result {
        var fs = MergedFilesystem()
        for layer in layers { fs.apply(layer: layer) }
        let environment = ImageEnvironment(fs, config: config)
        var problems = problems
        var findings: [InspectFinding] = []
        let argv = (config.entrypoint ?? []) + (config.cmd ?? [])
        var entrypointPath: String?
        if let program = Self.program(argv) {
            switch Self.locate(program, in: fs, config: config) {
            case .success(let p): entrypointPath = "/" + p
            case .failure(let why):
                findings.append(InspectFinding(rule: .entrypointMissing, binary: program,
                                               message: "the entrypoint \(program) \(why): exec fails with \"exec \(program): no such file or directory\"",
                                               advice: "fix ENTRYPOINT/CMD or COPY the binary to that path"))
            }
        }
        var binaries: [InspectReport.Binary] = []
        var all = fs.goBinaries
        // The entrypoint first.
        if let entry = entrypointPath, let i = all.firstIndex(where: { "/" + $0.path == entry }) {
            all.insert(all.remove(at: i), at: 0)
        }
        for (p, facts) in all {
            let f = ImageFindings.findings(facts, in: fs, environment: environment)
            binaries.append(InspectReport.Binary(facts: facts, findings: f))
            findings += f
            _ = p
        }
        for (p, file) in fs.files.sorted(by: { $0.key < $1.key }) {
            if case .unreadable(let why)? = file.content { problems.append(InspectError(path: "\(path): /\(p)", reason: why)) }
        }
        let report = InspectReport.Image(image: path, format: format, entrypoint: argv, entrypointPath: entrypointPath,
                                         environment: environment, binaries: binaries, findings: findings)
        return Result(report: report, problems: problems)
    }

    /// The program a container runs: argv[0], or the first word of `sh -c "..."`.
    static func program(_ argv: [String]) -> String? {
        guard let first = argv.first, !first.isEmpty else { return nil }
        let shells = ["sh", "bash", "ash", "dash"]
        let base = first.split(separator: "/").last.map(String.init) ?? first
        if shells.contains(base), argv.count >= 3, argv[1] == "-c" {
            let word = argv[2].split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init)
            if let word, !word.contains("$"), !word.isEmpty, word != "exec" { return word }
            if word == "exec", let second = argv[2].split(separator: " ").dropFirst().first { return String(second) }
        }
        return first
    }

    /// The entrypoint's path in the image: PATH lookup for a bare name, WorkingDir for a relative one.
    static func locate(_ program: String, in fs: MergedFilesystem, config: ImageManifest.Config) -> Swift.Result<String, LocateError> {
        var candidates: [String] = []
        if program.contains("/") {
            candidates = [program.hasPrefix("/") ? program : (config.workingDir.isEmpty ? "/" : config.workingDir) + "/" + program]
        } else {
            let path = config.environment("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
            candidates = path.split(separator: ":").map { "\($0)/\(program)" }
        }
        var loop: String?
        for c in candidates {
            switch fs.resolve(c) {
            case .success(let r) where r.file?.kind == .regular: return .success(r.path)
            case .failure(.loop(let at)): loop = at
            default: continue
            }
        }
        if let loop { return .failure(LocateError(text: "is a symbolic link loop (\(loop))")) }
        return .failure(LocateError(text: program.contains("/") ? "is not in the image" : "is not on the image's PATH"))
    }

    struct LocateError: Error, CustomStringConvertible {
        var text: String
        var description: String { text }
    }
}
