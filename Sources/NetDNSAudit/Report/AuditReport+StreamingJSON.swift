import Foundation

/// The `--format json` document written a piece at a time, so that its memory is that of one
/// instance's JSON, not of the whole document: encoding the document at once holds it and a
/// tree of its values, several times its size (about 4 KB per input file of a `/var/log/pods`
/// tree, 300 MB at 50,000 files, with `JSONEncoder`).
///
/// The pieces are byte for byte ``AuditReport/jsonData()``: the report is encoded with an
/// empty `services` list, each service with an empty `instances` list, and each instance
/// alone; the lists are filled in between, re-indented as the pretty printer indents them.
/// JSON strings never hold a raw newline, so a newline followed by spaces is always
/// indentation, and a key at its object's own indentation is found without ambiguity.
extension AuditReport {
    /// Hands ``jsonData()`` to `write` in pieces (every piece ends between two values).
    public func writeJSON(_ write: (Data) throws -> Void) throws {
        let encoder = SortedJSONEncoder(pretty: true)
        var skeleton = self
        skeleton.services = []
        guard !services.isEmpty, let (head, tail) = Self.split(try encoder.encode(WireDocument(skeleton)), list: "services") else {
            try write(jsonData())
            return
        }
        try write(head)
        for (i, service) in services.enumerated() {
            try write(Data("\n".utf8))
            try Self.writeService(WireService(service), encoder: encoder, write)
            if i + 1 < services.count { try write(Data(",".utf8)) }
        }
        try write(Data("\n  ".utf8) + tail + Data("\n".utf8))
    }

    /// One service at the indentation of an element of `services` (4 spaces).
    static func writeService(_ service: WireService, encoder: SortedJSONEncoder, _ write: (Data) throws -> Void) throws {
        var skeleton = service
        skeleton.instances = []
        let encoded = try encoder.encode(skeleton)
        guard !service.instances.isEmpty, let (head, tail) = split(encoded, list: "instances") else {
            try write(indented(try encoder.encode(service), by: 4, firstLine: true))
            return
        }
        try write(indented(head, by: 4, firstLine: true))
        for (i, instance) in service.instances.enumerated() {
            var piece = Data("\n".utf8)
            piece.append(indented(try encoder.encode(instance), by: 8, firstLine: true))
            if i + 1 < service.instances.count { piece.append(UInt8(ascii: ",")) }
            try write(piece)
        }
        try write(Data("\n      ".utf8) + indented(tail, by: 4, firstLine: false))
    }

    /// Cuts a pretty-printed object at its top-level key `list`, whose value is `[]` (printed
    /// `[` newline newline `]`): the bytes through `[`, and the bytes from `]` on.
    static func split(_ json: Data, list: String) -> (Data, Data)? {
        let key = Array("\n  \"\(list)\" : [\n\n  ]".utf8)
        let bytes = [UInt8](json)
        guard bytes.count >= key.count else { return nil }
        var i = 0
        while i + key.count <= bytes.count {
            if bytes[i] == key[0] && bytes[i..<(i + key.count)].elementsEqual(key) {
                let open = i + key.count - 6   // the `[`, before "\n\n  ]"
                return (Data(bytes[...open]), Data(bytes[(i + key.count - 1)...]))
            }
            i += 1
        }
        return nil
    }

    /// `json` with `spaces` more spaces at the start of every line after a newline (and of
    /// the first line), blank lines (an empty list's) left blank, as the pretty printer does.
    /// Copies a line at a time (found with `memchr`): a byte at a time into `Data` took most
    /// of the time of a 50,000-file report.
    static func indented(_ json: Data, by spaces: Int, firstLine: Bool) -> Data {
        let pad = [UInt8](repeating: 0x20, count: spaces)
        return json.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Data in
            let n = raw.count
            guard n > 0, let base = raw.baseAddress else { return Data() }
            var out: [UInt8] = []
            out.reserveCapacity(n + n / 4)
            var start = 0
            var lineStart = firstLine
            while start < n {
                let end = memchr(base + start, 0x0A, n - start).map { base.distance(to: UnsafeRawPointer($0)) + 1 } ?? n
                if lineStart && raw[start] != 0x0A { out.append(contentsOf: pad) }
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[start..<end]))
                lineStart = true
                start = end
            }
            return Data(out)
        }
    }
}
