/// The readers hand a stream analyzer stretches of lines (see ``LineBatch``).
extension StreamAnalyzer {
    /// Reads `source` to its end through `splitter`: stretches of lines to
    /// ``consumeLines(_:maxLineBytes:)``, a last line without a newline to ``consume(_:)``.
    /// A read error is thrown after the lines before it (``LineSplitter/bytesRead`` still tells
    /// how many bytes were read).
    public func read<S: ByteSource>(_ source: inout S, through splitter: LineSplitter) throws(InputError) {
        let maxLineBytes = splitter.maxLineBytes
        try splitter.run(&source, lines: { consumeLines($0, maxLineBytes: maxLineBytes) },
                         line: { consume($0) }, overlong: { consumeOverlong() })
    }

    /// Reads the range of `reader` as ``read(_:through:)`` reads a source; returns the bytes read.
    public func read(_ reader: MappedLineReader, progress: (Int) -> Void) throws(InputError) -> Int {
        let maxLineBytes = reader.maxLineBytes
        return try reader.run(lines: { consumeLines($0, maxLineBytes: maxLineBytes) }, line: { consume($0) },
                              overlong: { consumeOverlong() }, progress: progress)
    }

    /// Analyses bytes that arrive in pieces (a followed file, a live pipe) through `assembler`,
    /// which keeps an unfinished last line until its newline comes.
    public func feed(_ bytes: UnsafeRawBufferPointer, through assembler: LineAssembler) {
        let maxLineBytes = assembler.maxLineBytes
        assembler.feed(bytes, lines: { consumeLines($0, maxLineBytes: maxLineBytes) }, line: { consume($0) },
                       overlong: { consumeOverlong() })
    }

    /// Analyses one slot of a ``LineReadAhead`` as ``feed(_:through:)`` does, its complete
    /// lines cut with the slot's prepared index.
    func feed(_ bytes: UnsafeRawBufferPointer, index: PreparedLineIndex, through assembler: LineAssembler) {
        let maxLineBytes = assembler.maxLineBytes
        guard let start = bytes.baseAddress else { return }
        assembler.feed(bytes, lines: { region in
            consumeLines(region, maxLineBytes: maxLineBytes, prepared: (index, start.distance(to: region.baseAddress!)))
        }, line: { consume($0) }, overlong: { consumeOverlong() })
    }
}
