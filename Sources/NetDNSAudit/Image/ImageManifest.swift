import Foundation

/// Which config and layers make up an image, from `docker save`'s `manifest.json` or an OCI
/// `index.json` (through nested indexes, by platform, skipping attestation manifests).
public struct ImageManifest: Sendable, Equatable {
    /// `docker-save` (legacy), `docker-save-oci` (Docker 25+), `oci-layout`, `oci-archive`.
    public var format: String
    /// The config blob's path in the archive or layout.
    public var config: String
    /// Layer paths, base first.
    public var layers: [String]
    /// `RepoTags` of a docker save, or the OCI ref name.
    public var tags: [String]

    /// The image config (`config.Env`, `Entrypoint`, `Cmd`, `WorkingDir`, `architecture`).
    public struct Config: Sendable, Equatable {
        public var env: [String] = []
        public var entrypoint: [String]?
        public var cmd: [String]?
        public var workingDir = ""
        public var architecture: String?
        public var os: String?

        public init() {}

        /// The value of `name` in Env.
        public func environment(_ name: String) -> String? {
            env.last { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
        }

        /// Whether Env sets `name` at all (even empty).
        public func hasEnvironment(_ name: String) -> Bool {
            env.contains { $0 == name || $0.hasPrefix(name + "=") }
        }
    }

    public enum ManifestError: Error, Sendable, Equatable { case problem(String) }

    static func json(_ bytes: [UInt8]) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(bytes), options: [])
    }

    static func blobPath(_ digest: String) -> String? {
        let parts = digest.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, !parts[1].contains("/"), !parts[1].contains(".."), !parts[0].contains("/") else { return nil }
        return "blobs/\(parts[0])/\(parts[1])"
    }

    /// Finds the manifest; `read` returns a small file of the archive or layout by path.
    public static func resolve(read: (String) -> [UInt8]?, hasOCILayout: Bool, architecture: String = "amd64") throws(ManifestError) -> ImageManifest {
        if let bytes = read("manifest.json") {
            guard let list = json(bytes) as? [[String: Any]], let first = list.first else {
                throw .problem("manifest.json is not a docker save manifest (a JSON array of {Config, Layers})")
            }
            guard let config = first["Config"] as? String, let layers = first["Layers"] as? [String] else {
                throw .problem("manifest.json has no Config or Layers")
            }
            let oci = hasOCILayout || layers.contains { $0.hasPrefix("blobs/") }
            return ImageManifest(format: oci ? "docker-save-oci" : "docker-save", config: config, layers: layers,
                                 tags: (first["RepoTags"] as? [String]) ?? [])
        }
        guard let index = read("index.json") else {
            throw .problem("neither manifest.json (docker save) nor index.json (OCI layout) found")
        }
        var current = index
        var tags: [String] = []
        for _ in 0..<8 {
            guard let object = json(current) as? [String: Any] else { throw .problem("index or manifest is not a JSON object") }
            if let config = object["config"] as? [String: Any], let layers = object["layers"] as? [[String: Any]] {
                guard let digest = config["digest"] as? String, let configPath = blobPath(digest) else { throw .problem("manifest without a config digest") }
                var paths: [String] = []
                for layer in layers {
                    guard let d = layer["digest"] as? String, let p = blobPath(d) else { throw .problem("layer without a digest") }
                    paths.append(p)
                }
                return ImageManifest(format: "oci-layout", config: configPath, layers: paths, tags: tags)
            }
            guard let manifests = object["manifests"] as? [[String: Any]], !manifests.isEmpty else {
                throw .problem("index without manifests")
            }
            // Prefer linux/ARCH, then any real platform; attestations (unknown/unknown) are skipped.
            func platform(_ m: [String: Any]) -> (String, String)? {
                guard let p = m["platform"] as? [String: Any] else { return nil }
                return ((p["os"] as? String) ?? "", (p["architecture"] as? String) ?? "")
            }
            let candidates = manifests.filter { m in
                if let (os, arch) = platform(m), os == "unknown" || arch == "unknown" { return false }
                let annotations = m["annotations"] as? [String: Any]
                return annotations?["vnd.docker.reference.type"] as? String != "attestation-manifest"
            }
            let chosen = candidates.first { platform($0).map { $0.0 == "linux" && $0.1 == architecture } ?? false }
                ?? candidates.first { platform($0) == nil } ?? candidates.first
            guard let chosen, let digest = chosen["digest"] as? String, let path = blobPath(digest) else {
                throw .problem("index has no usable manifest (only attestations?)")
            }
            if let annotations = chosen["annotations"] as? [String: Any], let name = annotations["org.opencontainers.image.ref.name"] as? String {
                tags = [name]
            }
            guard let next = read(path) else { throw .problem("manifest blob \(path) is missing") }
            current = next
        }
        throw .problem("indexes nested more than 8 deep")
    }

    /// Parses an image config blob.
    public static func config(_ bytes: [UInt8]) -> Config? {
        guard let object = json(bytes) as? [String: Any] else { return nil }
        var config = Config()
        config.architecture = object["architecture"] as? String
        config.os = object["os"] as? String
        let inner = (object["config"] as? [String: Any]) ?? (object["container_config"] as? [String: Any]) ?? [:]
        config.env = (inner["Env"] as? [String]) ?? []
        config.entrypoint = inner["Entrypoint"] as? [String]
        config.cmd = inner["Cmd"] as? [String]
        config.workingDir = (inner["WorkingDir"] as? String) ?? ""
        return config
    }
}
