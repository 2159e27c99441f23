/// The fast path for the lines of CRI log files (`TIMESTAMP STREAM F MESSAGE`, what containerd
/// and CRI-O write under `/var/log/pods`).
///
/// The file is the instance, so a line needs no instance lookup: its timestamp, stream and tag
/// are read straight from the buffer, an ordinary message only adds to the instance's counters,
/// and any other message goes to ``StreamAnalyzer/handleMessage(_:slot:timestamp:)``, as after
/// decoding. Partial (`P`) pieces, and a full line that ends pieces of its stream, are joined by
/// ``CRIEnvelope`` on the general path, as is any line of another form.
extension StreamAnalyzer {
    /// Handles `line` when it is a full CRI line that ends no partial message; returns `false`,
    /// having changed nothing, for any other line. `needleInLine` is whether `lookup ` may
    /// start in the line.
    @inline(__always)
    func consumeCRILine(_ line: UnsafeRawBufferPointer, needleInLine: Bool) -> Bool {
        let n = line.count
        // As CRIEnvelope.parse: 29 bytes at least, a time, then the stream and the tag.
        guard n >= 29, let base = line.baseAddress, ASCII.isDigit(base.load(as: UInt8.self)),
              let (timestamp, length) = timestampReader.read(base, available: n),
              n - length >= 8 else { return false }
        let stream = base.loadUnaligned(fromByteOffset: length, as: UInt64.self)
        let isStderr: Bool
        switch stream & 0x00FF_FFFF_FFFF_FFFF {
        case 0x0020_7475_6F64_7473: isStderr = false   // "stdout "
        case 0x0020_7272_6564_7473: isStderr = true    // "stderr "
        default: return false
        }
        let tag = length + 7
        // `F`, then the end of the line or a space; a pending partial message of the stream
        // (or a `P` piece) is the envelope's to join.
        guard (stream >> 56) == 0x46, tag + 1 == n || base.load(fromByteOffset: tag + 1, as: UInt8.self) == ASCII.space,
              !(isStderr ? criPiecesPending.stderr : criPiecesPending.stdout) else { return false }
        let messageStart = min(tag + 2, n)
        let slot = slot(for: CRIEnvelope.noKey, envelopeIndex: envelopeIndex)
        let message = UnsafeRawBufferPointer(start: base + messageStart, count: n - messageStart)
        if handleFastLine(message, slot: slot, timestamp: timestamp, tornPending: hot[slot].tornPending, needleInLine: needleInLine) {
            hot[slot].lines += 1
            hot[slot].noteTimestamp(timestamp)
        }
        return true
    }

    /// Reads whether the CRI envelope now holds partial pieces (after a line took the general
    /// path, the only place pieces are added or joined).
    func noteCRIPieces() {
        guard let cri = envelope as? CRIEnvelope else {
            criPiecesPending = (true, true)   // not the CRI envelope after all: no fast lines
            return
        }
        criPiecesPending = (cri.split.hasPieces(stderr: false), cri.split.hasPieces(stderr: true))
    }
}
