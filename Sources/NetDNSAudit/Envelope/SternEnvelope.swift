/// `stern` output: `POD CONTAINER MESSAGE`, or `NAMESPACE POD CONTAINER MESSAGE` with
/// `--all-namespaces`; the colours stern puts around the names on a terminal are skipped.
///
/// Three words are easily mistaken for ordinary text, so POD must look like a generated pod
/// name and CONTAINER (and NAMESPACE) like a DNS label, and the envelope is detected only when
/// most of a file's first lines have it (``detectionNeedsMajority``); on standard input it must
/// be forced with `--envelope stern`.
public struct SternEnvelope: LogEnvelope {
    public static let kind = EnvelopeKind.stern
    public static var detectionNeedsMajority: Bool { true }
    /// The key `[NAMESPACE ]POD CONTAINER`, rebuilt without colour sequences.
    let key = MessageBuffer(limit: 1024, initialCapacity: 256)

    public init(source: SourceContext) {}

    public static func recognises(_ line: UnsafeRawBufferPointer, source: SourceContext) -> Bool {
        parse(line) != nil
    }

    struct Prefix {
        var namespace: Range<Int>?
        var pod: Range<Int>
        var container: Range<Int>
        var messageStart: Int
    }

    /// The word starting at `from` (after colour sequences): its range and the offset after it and
    /// its closing colour sequences.
    static func word(_ line: UnsafeRawBufferPointer, from: Int) -> (Range<Int>, Int)? {
        let start = TerminalColour.skipSequences(line, from: from)
        var end = start
        while end < line.count, line[end] != ASCII.space, line[end] != TerminalColour.escape { end += 1 }
        guard end > start else { return nil }
        return (start..<end, TerminalColour.skipSequences(line, from: end))
    }

    static func parse(_ line: UnsafeRawBufferPointer) -> Prefix? {
        guard let (w0, e0) = word(line, from: 0), e0 < line.count, line[e0] == ASCII.space,
              let (w1, e1) = word(line, from: e0 + 1) else { return nil }
        let first = line.slice(w0.lowerBound, w0.upperBound)
        let second = line.slice(w1.lowerBound, w1.upperBound)
        func messageStart(after end: Int) -> Int? {
            if end == line.count { return end }
            guard line[end] == ASCII.space else { return nil }
            return TerminalColour.skipSequences(line, from: end + 1)
        }
        if PodNameShape.isGeneratedPodName(first), PodNameShape.isLabel(second), let m = messageStart(after: e1) {
            return Prefix(namespace: nil, pod: w0, container: w1, messageStart: m)
        }
        guard PodNameShape.isLabel(first), PodNameShape.isGeneratedPodName(second), e1 < line.count, line[e1] == ASCII.space,
              let (w2, e2) = word(line, from: e1 + 1), PodNameShape.isLabel(line.slice(w2.lowerBound, w2.upperBound)),
              let m = messageStart(after: e2) else { return nil }
        return Prefix(namespace: w0, pod: w1, container: w2, messageStart: m)
    }

    public mutating func decode(_ line: UnsafeRawBufferPointer) -> EnvelopeDecoding {
        guard let p = Self.parse(line) else { return .mismatch }
        key.clear()
        if let ns = p.namespace {
            key.append(line.slice(ns.lowerBound, ns.upperBound))
            key.append(byte: ASCII.space)
        }
        key.append(line.slice(p.pod.lowerBound, p.pod.upperBound))
        key.append(byte: ASCII.space)
        key.append(line.slice(p.container.lowerBound, p.container.upperBound))
        return .line(EnvelopedLine(instanceKey: key.bytes, timestamp: nil, message: line.slice(p.messageStart, line.count)))
    }

    public func identity(forKey key: UnsafeRawBufferPointer) -> InstanceIdentity {
        let words = key.string.split(separator: " ").map(String.init)
        let namespace = words.count == 3 ? words[0] : nil
        let pod = words.count >= 2 ? words[words.count - 2] : key.string
        let container = words.count >= 2 ? words[words.count - 1] : nil
        return InstanceIdentity(service: WorkloadName.service(forPod: pod), name: pod, container: container, namespace: namespace)
    }
}
