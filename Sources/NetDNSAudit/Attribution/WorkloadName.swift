/// Derives the workload (service) name from a Kubernetes pod name.
///
/// - Deployment: `NAME-<pod-template hash>-<5 chars>`
/// - CronJob: `NAME-<digits>-<5 chars>`
/// - DaemonSet, Job: `NAME-<5 chars>`
/// - StatefulSet: `NAME-<ordinal>`
///
/// Kubernetes draws hashes and suffixes from consonants and digits, so a segment with a
/// vowel (`cache` in `my-app-cache`) is never taken for a suffix.
public enum WorkloadName {
    public static func service(forPod pod: String) -> String {
        asciiService(forPod: pod) ?? characterService(forPod: pod)
    }

    /// ``service(forPod:)`` of any name, read as Characters.
    static func characterService(forPod pod: String) -> String {
        var parts = pod.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { return pod }
        let last = parts[parts.count - 1]
        if parts.count >= 3, isSuffix(last), isTemplateHash(parts[parts.count - 2]) {
            parts.removeLast(2)
            return parts.joined(separator: "-")
        }
        if isSuffix(last) || isOrdinal(last) {
            parts.removeLast()
            return parts.joined(separator: "-")
        }
        return pod
    }

    /// ``service(forPod:)`` of an ASCII name, read as bytes (every character is one byte: the
    /// same answer, without cutting the name into Strings); `nil` for any other name.
    static func asciiService(forPod pod: String) -> String? {
        pod.utf8.withContiguousStorageIfAvailable { b -> String? in
            guard b.allSatisfy({ $0 < 0x80 }) else { return nil }
            guard let lastDash = b.lastIndex(of: 0x2D) else { return pod }
            func generated(_ range: Range<Int>) -> Bool {
                b[range].allSatisfy { c in
                    (0x61...0x7A).contains(c) && c != 0x61 && c != 0x65 && c != 0x69 && c != 0x6F && c != 0x75 || (0x30...0x39).contains(c)
                }
            }
            let last = (lastDash + 1)..<b.count
            let isSuffix = last.count == 5 && generated(last)
            if isSuffix, let previousDash = b[..<lastDash].lastIndex(of: 0x2D) {
                let hash = (previousDash + 1)..<lastDash
                if (6...10).contains(hash.count) && generated(hash) {
                    return String(decoding: b[..<previousDash], as: UTF8.self)
                }
            }
            let isOrdinal = !last.isEmpty && last.count <= 5 && b[last].allSatisfy { (0x30...0x39).contains($0) }
            if isSuffix || isOrdinal { return String(decoding: b[..<lastDash], as: UTF8.self) }
            return pod
        } ?? nil
    }

    static func isGeneratedCharacter(_ c: Character) -> Bool {
        guard c.isASCII, c.isLowercase || c.isNumber else { return false }
        return !"aeiou".contains(c)
    }

    /// The random 5-character suffix of a generated name.
    static func isSuffix(_ s: String) -> Bool {
        s.count == 5 && s.allSatisfy(isGeneratedCharacter)
    }

    /// A ReplicaSet pod-template hash (6 to 10 characters) or a CronJob's scheduled time (digits).
    static func isTemplateHash(_ s: String) -> Bool {
        (6...10).contains(s.count) && s.allSatisfy(isGeneratedCharacter)
    }

    static func isOrdinal(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 5 && s.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
