/// Reads one layer (a tar stream, decompressed already) into its list of ``ImageFile``s, in
/// archive order, reading only the files that matter (``ImageFileReader``).
public struct LayerScanner {
    public let reader: ImageFileReader

    public init(reader: ImageFileReader) { self.reader = reader }

    /// Scans every entry of `tar`. A damaged archive throws after the entries before the damage
    /// were returned through `files` (the caller decides whether to use them).
    public func scan(_ tar: TarReader, into files: inout [ImageFile]) throws(InputError) {
        while let entry = try tar.nextEntry() {
            let path = entry.path
            guard !path.isEmpty else { continue }
            let name = path.split(separator: "/").last.map(String.init) ?? path
            if name == ".wh..wh..opq" {
                let dir = path.count > name.count ? String(path.dropLast(name.count + 1)) : ""
                files.append(ImageFile(path: dir, kind: .opaque))
                continue
            }
            if name.hasPrefix(".wh.") {
                let target = String(path.dropLast(name.count)) + String(name.dropFirst(4))
                files.append(ImageFile(path: target, kind: .whiteout))
                continue
            }
            switch entry.kind {
            case .directory:
                files.append(ImageFile(path: path, kind: .directory, mode: entry.mode))
            case .symlink:
                files.append(ImageFile(path: path, kind: .symlink(target: entry.linkTarget), mode: entry.mode))
            case .hardlink:
                files.append(ImageFile(path: path, kind: .hardlink(target: entry.linkTarget), mode: entry.mode))
            case .other:
                files.append(ImageFile(path: path, kind: .other, mode: entry.mode))
            case .regular:
                var source = TarMemberSource(tar)
                let content = try reader.content(path: path, mode: entry.mode, size: entry.size, source: &source)
                files.append(ImageFile(path: path, kind: .regular, mode: entry.mode, size: entry.size, content: content))
            }
        }
    }
}
