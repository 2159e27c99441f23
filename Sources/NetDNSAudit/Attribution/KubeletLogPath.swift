/// Reads the pod, container and namespace from the path of a kubelet-managed container log.
///
/// - `/var/log/pods/NAMESPACE_POD_UID/CONTAINER/N.log` (N is the restart count; rotated files
///   are `N.log.TIMESTAMP`, maybe `.gz`);
/// - `/var/log/containers/POD_NAMESPACE_CONTAINER-CONTAINERID.log`.
///
/// Only the trailing components are looked at, so relative paths and paths inside archives work.
/// Namespaces, pod and container names cannot hold `_`, which makes the split unambiguous.
public enum KubeletLogPath {
    /// The instance a CRI log file belongs to, or `nil` if the path has neither layout.
    public static func identity(forPath path: String) -> InstanceIdentity? {
        let components = lastComponents(path)
        guard let file = components.last else { return nil }
        if components.count >= 3, isRestartFile(file) {
            let podDirectory = components[components.count - 3].split(separator: "_", omittingEmptySubsequences: false)
            let container = String(components[components.count - 2])
            if podDirectory.count == 3, podDirectory.allSatisfy({ !$0.isEmpty }), !container.isEmpty {
                let pod = String(podDirectory[1])
                return InstanceIdentity(
                    service: WorkloadName.service(forPod: pod), name: pod, container: container,
                    namespace: String(podDirectory[0]))
            }
        }
        if file.hasSuffix(".log") {
            let parts = file.dropLast(4).split(separator: "_", omittingEmptySubsequences: false)
            if parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) {
                let pod = String(parts[0])
                let container = containerName(parts[2])
                return InstanceIdentity(
                    service: WorkloadName.service(forPod: pod), name: pod, container: container,
                    namespace: String(parts[1]))
            }
        }
        return nil
    }

    /// The last three non-empty components of `path` (all of them when it has fewer), as
    /// `split(separator: "/")` finds them. An ASCII path (every `/` byte is a `/` character) is
    /// read from its end, without splitting the directories above (a file of a 50,000-file
    /// tree is attributed once per file).
    static func lastComponents(_ path: String) -> [Substring] {
        let utf8 = path.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else {
            return Array(path.split(separator: "/", omittingEmptySubsequences: true).suffix(3))
        }
        var found: [Substring] = []
        var end = utf8.endIndex
        var i = end
        while found.count < 3 && i > utf8.startIndex {
            let before = utf8.index(before: i)
            if utf8[before] == 0x2F {
                if i < end { found.append(path[i..<end]) }
                end = before
            }
            i = before
        }
        if found.count < 3 && i < end { found.append(path[i..<end]) }
        return found.reversed()
    }

    /// `N.log`, `N.log.TIMESTAMP`, `N.log.TIMESTAMP.gz`.
    static func isRestartFile(_ name: Substring) -> Bool {
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return false }
        let rest = name.dropFirst(digits.count)
        return rest == ".log" || rest.hasPrefix(".log.")
    }

    /// `CONTAINER-CONTAINERID` without the container ID (a long hexadecimal string).
    static func containerName(_ part: Substring) -> String {
        guard let dash = part.lastIndex(of: "-") else { return String(part) }
        let id = part[part.index(after: dash)...]
        if id.count >= 12, id.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
            return String(part[..<dash])
        }
        return String(part)
    }
}
