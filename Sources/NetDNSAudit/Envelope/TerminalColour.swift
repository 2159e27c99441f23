/// ANSI colour (SGR) sequences that tools such as `docker compose` and `stern` put around their
/// prefixes on a terminal: `ESC [ PARAMS m`.
enum TerminalColour {
    static let escape: UInt8 = 0x1B

    /// The offset after any SGR sequences starting at `offset` (inlined up to the test of the
    /// first byte: most prefixes have no colour).
    @inline(__always)
    static func skipSequences(_ line: UnsafeRawBufferPointer, from offset: Int) -> Int {
        guard offset < line.count, let base = line.baseAddress, base.load(fromByteOffset: offset, as: UInt8.self) == escape else { return offset }
        return skipPresentSequences(line, from: offset)
    }

    private static func skipPresentSequences(_ line: UnsafeRawBufferPointer, from offset: Int) -> Int {
        var i = offset
        while i + 1 < line.count, line[i] == escape, line[i + 1] == 0x5B {
            var j = i + 2
            while j < line.count, ASCII.isDigit(line[j]) || line[j] == 0x3B { j += 1 }
            guard j < line.count, line[j] == 0x6D else { return i }
            i = j + 1
        }
        return i
    }
}
