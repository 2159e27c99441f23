#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `inspect` over its inputs: binaries, directories of binaries, images and root
/// filesystems. Every input is inspected even when others fail; failures become one line each.
public struct Inspector: Sendable {
    /// The largest file read into memory as a binary.
    public var maxBinaryBytes = 1 << 30

    public init() {}

    /// Inspects every input, in order.
    public func inspect(_ inputs: [InspectInput]) -> InspectReport {
        var report = InspectReport()
        for input in inputs {
            switch input {
            case .path(let path): inspectPath(path, into: &report)
            case .root(let path): inspectImage(path, kind: .rootDirectory, into: &report)
            }
        }
        return report
    }

    /// Inspects one binary file; errors name the file.
    public func inspectBinary(path: String) throws(InspectError) -> InspectReport.Binary {
        let bytes: BinaryBytes
        do { bytes = try BinaryBytes.read(path: path) } catch { throw InspectError(error) }
        do {
            let facts = try BinaryInspector.inspect(bytes.buffer, path: path)
            return InspectReport.Binary(facts: facts, findings: BinaryFindings.findings(facts))
        } catch {
            throw InspectError(path: path, reason: error.description)
        }
    }

    func inspectPath(_ path: String, into report: inout InspectReport) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            report.errors.append(InspectError(path: path, reason: "cannot open: \(String(cString: strerror(errno)))").description)
            return
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            if ImageSource.isOCILayout(directory: path) {
                inspectImage(path, kind: .ociLayoutDirectory, into: &report)
            } else {
                walk(path, into: &report)
            }
            return
        }
        switch ImageSource.sniff(path: path) {
        case .elf:
            do { report.binaries.append(try inspectBinary(path: path)) } catch { report.errors.append(error.description) }
        case .archive:
            inspectImage(path, kind: .archive, into: &report)
        case .other(let what):
            report.errors.append(InspectError(path: path, reason: what).description)
        }
    }

    /// Every Go binary under `directory` (symbolic links are not followed); other files are skipped.
    func walk(_ directory: String, into report: inout InspectReport) {
        var stack = [directory]
        var found: [String] = []
        while let dir = stack.popLast() {
            guard let handle = opendir(dir) else {
                report.errors.append(InspectError(path: dir, reason: "cannot open: \(String(cString: strerror(errno)))").description)
                continue
            }
            var names: [String] = []
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                names.append(name)
            }
            closedir(handle)
            for name in names.sorted().reversed() {
                let child = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                var info = stat()
                guard lstat(child, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: stack.append(child)
                case S_IFREG: found.append(child)
                default: continue
                }
            }
        }
        for path in found.sorted() {
            guard case .elf = ImageSource.sniff(path: path) else { continue }
            do {
                report.binaries.append(try inspectBinary(path: path))
            } catch {
                // Not Go (or not a program at all): skipped, as the walk promises.
                if error.reason == BinaryError.notGo.description || error.reason == BinaryError.notELF.description { continue }
                report.errors.append(error.description)
            }
        }
    }

    func inspectImage(_ path: String, kind: ImageSource.Kind, into report: inout InspectReport) {
        do {
            let image = try ImageInspector(maxBinaryBytes: maxBinaryBytes).inspect(path: path, kind: kind)
            report.images.append(image.report)
            report.errors += image.problems.map(\.description)
        } catch {
            report.errors.append(error.description)
        }
    }
}
