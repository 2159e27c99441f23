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
