import Foundation

/// Splits a byte stream that holds saved reports one after another into one JSON document per
/// report: a single pretty-printed report, one report per line (NDJSON, as map steps emit
/// them), or pretty-printed reports simply concatenated (`cat a.json b.json`).
///
/// Feed it bytes in chunks of any size with ``feed(_:_:)``, then call ``finish()``. Between
/// documents only whitespace (space, tab, CR, LF) and a UTF-8 byte order mark are allowed;
/// a tab lets it read Hadoop Streaming's `KEY<TAB>` reducer lines whose value is empty.
/// It does not validate JSON: it only finds where each top-level object ends, by counting
/// brackets outside strings; ``AuditReport/decode(_:)`` then checks each document.
public struct ReportStreamSplitter {
    /// Bytes of the document being read.
    var document: [UInt8] = []
    var depth = 0
    var inString = false
    var escaped = false
    /// Bytes consumed so far, for error offsets.
    public private(set) var offset = 0
    /// Complete documents emitted so far.
    public private(set) var documentCount = 0
    /// Bytes of a byte order mark matched so far, between documents.
    var bomBytes = 0

    public init() {}

    /// Consumes `bytes`, calling `emit` with each document as soon as it is complete.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (Data) -> Void) throws(ReportStreamError) {
        for byte in bytes {
            offset += 1
            if depth == 0 {
                try between(byte)
                if depth == 0 { continue }
                document.append(byte)
                continue
            }
            document.append(byte)
            if inString {
                if escaped {
                    escaped = false
                } else if byte == 0x5C {  // backslash
                    escaped = true
                } else if byte == 0x22 {
                    inString = false
                }
                continue
            }
            switch byte {
            case 0x22: inString = true
            case 0x7B, 0x5B: depth += 1
            case 0x7D, 0x5D:
                depth -= 1
                if depth == 0 {
                    documentCount += 1
                    emit(Data(document))
                    document.removeAll(keepingCapacity: true)
                }
            default: break
            }
        }
    }

    /// A byte outside any document: whitespace, a byte order mark, or the `{` that opens one.
    mutating func between(_ byte: UInt8) throws(ReportStreamError) {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        if bomBytes > 0 || (byte == bom[0] && documentCount == 0 && offset == 1) {
            guard byte == bom[bomBytes] else { throw .unexpectedByte(byte, offset: offset) }
            bomBytes = bomBytes == 2 ? 0 : bomBytes + 1
            return
        }
        switch byte {
        case 0x20, 0x09, 0x0D, 0x0A: return
        case 0x7B: depth = 1
        default: throw .unexpectedByte(byte, offset: offset)
        }
    }

    /// Ends the stream; throws when it stops inside a document.
    public func finish() throws(ReportStreamError) {
        if depth > 0 || bomBytes > 0 { throw .truncated(offset: offset) }
    }
}

/// Why a stream of saved reports could not be split into reports.
public enum ReportStreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Something other than whitespace or `{` where a report should start (1-based byte offset).
    case unexpectedByte(UInt8, offset: Int)
    /// The stream ends inside a report.
    case truncated(offset: Int)

    public var description: String {
        switch self {
        case .unexpectedByte(let byte, let offset):
            let shown = (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
            return "not a netdns-audit JSON report: \(shown) at byte \(offset) where a report should start"
        case .truncated(let offset):
            return "truncated: the input ends inside a report (after \(offset) bytes)"
        }
    }
}
