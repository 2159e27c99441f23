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
        if let answer = asciiIdentity(forPath: path) { return answer.identity }
        return characterIdentity(forPath: path)
    }

    /// What ``asciiIdentity(forPath:)`` found (an identity, or none).
    struct Answer { var identity: InstanceIdentity? }

    /// ``identity(forPath:)`` of an ASCII path, read as bytes (every character is one byte: the
    /// same answer, without cutting the path into Strings); `nil` for any other path.
    static func asciiIdentity(forPath path: String) -> Answer? {
        path.utf8.withContiguousStorageIfAvailable { b -> Answer? in
            guard b.allSatisfy({ $0 < 0x80 }) else { return nil }
            var components: [Range<Int>] = []
            var end = b.count
            var i = b.count
            while components.count < 3 && i > 0 {
                if b[i - 1] == 0x2F {
                    if i < end { components.append(i..<end) }
                    end = i - 1
                }
                i -= 1
            }
            if components.count < 3 && i < end { components.append(i..<end) }
            components.reverse()
            guard let file = components.last else { return Answer(identity: nil) }
            func text(_ r: Range<Int>) -> String { String(decoding: b[r], as: UTF8.self) }
            func parts(_ r: Range<Int>) -> [Range<Int>] {
                var out: [Range<Int>] = []
                var start = r.lowerBound
                for j in r where b[j] == 0x5F {
                    out.append(start..<j)
                    start = j + 1
                }
                out.append(start..<r.upperBound)
                return out
            }
            let log: [UInt8] = [0x2E, 0x6C, 0x6F, 0x67]
            if components.count >= 3 {
                var d = file.lowerBound
                while d < file.upperBound && (0x30...0x39).contains(b[d]) { d += 1 }
                let rest = d..<file.upperBound
                let restart = d > file.lowerBound && rest.count >= 4 && b[d..<(d + 4)].elementsEqual(log)
                    && (rest.count == 4 || b[d + 4] == 0x2E)
                let podDirectory = parts(components[components.count - 3])
                let container = components[components.count - 2]
                if restart, podDirectory.count == 3, podDirectory.allSatisfy({ !$0.isEmpty }), !container.isEmpty {
                    let pod = text(podDirectory[1])
                    return Answer(identity: InstanceIdentity(service: WorkloadName.service(forPod: pod), name: pod,
                                                             container: text(container), namespace: text(podDirectory[0])))
                }
            }
            if file.count >= 4, b[(file.upperBound - 4)..<file.upperBound].elementsEqual(log) {
                let p = parts(file.lowerBound..<(file.upperBound - 4))
                if p.count == 3, p.allSatisfy({ !$0.isEmpty }) {
                    let pod = text(p[0])
                    var container = text(p[2])
                    if let dash = b[p[2]].lastIndex(of: 0x2D) {
                        let id = (dash + 1)..<p[2].upperBound
                        if id.count >= 12, b[id].allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) {
                            container = text(p[2].lowerBound..<dash)
                        }
                    }
                    return Answer(identity: InstanceIdentity(service: WorkloadName.service(forPod: pod), name: pod,
                                                             container: container, namespace: text(p[1])))
                }
            }
            return Answer(identity: nil)
        } ?? nil
    }

    /// ``identity(forPath:)`` of any path, read as Characters.
    static func characterIdentity(forPath path: String) -> InstanceIdentity? {
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
