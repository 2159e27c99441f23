/// Byte-level tests of Kubernetes object names, for envelopes that must tell a pod name from an
/// ordinary word (stern).
enum PodNameShape {
    /// A DNS label: lowercase letters, digits and `-`, 1 to 63 bytes, starting and ending with a
    /// letter or digit (container and namespace names).
    static func isLabel(_ s: UnsafeRawBufferPointer) -> Bool {
        guard (1...63).contains(s.count), isAlnum(s[0]), isAlnum(s[s.count - 1]) else { return false }
        for b in s where !(isAlnum(b) || b == 0x2D) { return false }
        return true
    }

    /// A generated pod name: a label (dots allowed) of at least two `-` segments whose last
    /// segment is a 5-character suffix without vowels (Deployment, DaemonSet, Job, CronJob) or a
    /// StatefulSet ordinal.
    static func isGeneratedPodName(_ s: UnsafeRawBufferPointer) -> Bool {
        guard (3...253).contains(s.count), isAlnum(s[0]), isAlnum(s[s.count - 1]) else { return false }
        var lastDash = -1
        for (i, b) in s.enumerated() {
            if b == 0x2D { lastDash = i } else if !(isAlnum(b) || b == 0x2E) { return false }
        }
        guard lastDash > 0 else { return false }
        let suffix = s.slice(lastDash + 1, s.count)
        if suffix.allSatisfy(ASCII.isDigit) { return suffix.count <= 5 }
        return suffix.count == 5 && suffix.allSatisfy(isGeneratedByte)
    }

    static func isAlnum(_ b: UInt8) -> Bool { ASCII.isDigit(b) || (b >= 0x61 && b <= 0x7A) }

    /// Lowercase consonants and digits: the bytes of Kubernetes' random suffixes.
    static func isGeneratedByte(_ b: UInt8) -> Bool {
        guard isAlnum(b) else { return false }
        return b != 0x61 && b != 0x65 && b != 0x69 && b != 0x6F && b != 0x75
    }
}
