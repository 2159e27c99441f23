import CNetDNSShim
import Foundation

/// Names a Docker container from its json-file log path: `config.v2.json` next to the log gives
/// the container name (`"Name":"/NAME"`) and the compose service label
/// (`com.docker.compose.service`); without it, the short container ID (12 hex characters of
/// the directory or file name) names both the instance and the service.
public enum DockerContainerConfig {
    public static func identity(forLogPath path: String) -> InstanceIdentity? {
        let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let directory = components.dropLast().joined(separator: "/")
        let configPath = (directory.isEmpty ? "" : directory + "/") + "config.v2.json"
        if let data = FileManager.default.contents(atPath: configPath),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let rawName = object["Name"] as? String, !rawName.isEmpty {
            let name = rawName.hasPrefix("/") ? String(rawName.dropFirst()) : rawName
            let labels = (object["Config"] as? [String: Any])?["Labels"] as? [String: Any]
            let service = (labels?["com.docker.compose.service"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? name
            return InstanceIdentity(service: service, name: name)
        }
        let candidates = [components.last ?? "", components.dropLast().last ?? ""]
        for candidate in candidates {
            let id = candidate.prefix { $0.isHexDigit && !$0.isUppercase }
            if id.count >= 12 {
                let short = String(id.prefix(12))
                return InstanceIdentity(service: short, name: short)
            }
        }
        return nil
    }
}

/// A Docker container directory (`/var/lib/docker/containers/ID/`) holds the container's
/// json-file logs next to its configuration (`config.v2.json`, `hostconfig.json`, `hosts`,
/// `resolv.conf`...); only the logs are input.
public enum DockerContainerDirectory {
    /// The entries of a directory worth reading: all of them, or only the `ID-json.log` files
    /// (rotated ones included) when the directory holds one.
    public static func logEntries(_ names: [String]) -> [String] {
        logEntries(names, name: \.self)
    }

    /// ``logEntries(_:)`` of entries named by `name`.
    static func logEntries<Entry>(_ entries: [Entry], name: (Entry) -> String) -> [Entry] {
        guard entries.contains(where: { isLogName(name($0)) }) else { return entries }
        return entries.filter { isLogName(name($0)) }
    }

    /// Whether a name is a json-file log's (holds `-json.log`); the bytes are searched first,
    /// as most names do not hold them.
    static func isLogName(_ name: String) -> Bool {
        var bytes = name
        let holdsBytes = bytes.withUTF8 { utf8 in
            guard let base = utf8.baseAddress, utf8.count >= 9 else { return false }
            return memmem(base, utf8.count, "-json.log", 9) != nil
        }
        return holdsBytes && name.contains("-json.log")
    }
}
