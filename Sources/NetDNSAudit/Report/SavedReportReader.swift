import Foundation

/// Reads saved JSON reports (`netdns-audit analyze --format json`, or `merge --format json`
/// / `json-line`) from a file or standard input, one or many per input.
public struct SavedReportReader {
    public init() {}

    /// Calls `body` with every report in `input`, in order, and returns how many there were.
    ///
    /// Throws at the first problem: the input cannot be read, holds no report, is not a
    /// report, has another `schemaVersion`, or ends inside a report. Reports before the
    /// problem have already been passed to `body`.
    @discardableResult
    public func read(_ input: InputSpec, _ body: (AuditReport) -> Void) throws(SavedReportError) -> Int {
        var source: FileDescriptorSource
        let name: String
        switch input {
        case .standardInput:
            source = FileDescriptorSource(descriptor: 0, name: "-")
            name = "-"
        case .path(let path):
            name = path
            do {
                source = try FileDescriptorSource(path: path)
            } catch {
                throw SavedReportError(path: path, problem: error.problemText)
            }
        }
        defer { source.close() }
        return try read(&source, name: name, body)
    }

    /// Calls `body` with every report in `bytes`; `name` names the input in errors.
    @discardableResult
    public func read<S: ByteSource>(_ bytes: inout S, name: String, _ body: (AuditReport) -> Void) throws(SavedReportError) -> Int {
        var splitter = ReportStreamSplitter()
        var decodingError: (index: Int, error: ReportDecodingError)?
        var documents = 0
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        do {
            while true {
                let n: Int
                do { n = try bytes.read(into: chunk) } catch { throw SavedReportError(path: name, problem: error.problemText) }
                if n == 0 { break }
                try splitter.feed(UnsafeRawBufferPointer(rebasing: chunk[0..<n])) { document in
                    documents += 1
                    guard decodingError == nil else { return }
                    let report: AuditReport
                    do throws(ReportDecodingError) {
                        report = try AuditReport.decode(document)
                    } catch {
                        decodingError = (documents, error)
                        return
                    }
                    body(report)
                }
                if decodingError != nil { break }
            }
            if decodingError == nil { try splitter.finish() }
        } catch let error as ReportStreamError {
            throw SavedReportError(path: name, problem: Self.locate(error.description, index: splitter.documentCount + 1, always: splitter.documentCount > 0))
        } catch let error as SavedReportError {
            throw error
        } catch {
            throw SavedReportError(path: name, problem: "\(error)")
        }
        if let (index, error) = decodingError {
            throw SavedReportError(path: name, problem: Self.locate(error.description, index: index, always: index > 1))
        }
        guard splitter.documentCount > 0 else { throw SavedReportError(path: name, problem: "no report found (empty input)") }
        return splitter.documentCount
    }

    /// Prefixes `problem` with the report's 1-based position when the input holds several.
    static func locate(_ problem: String, index: Int, always: Bool) -> String {
        always ? "report \(index): \(problem)" : problem
    }
}

/// Why saved reports could not be read: the input's name and the problem, for one line.
public struct SavedReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path, or `-` for standard input.
    public var path: String
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    /// `PATH: PROBLEM`.
    public var description: String { "\(path): \(problem)" }
}

extension InputError {
    /// The problem without the path.
    var problemText: String {
        switch self {
        case .cannotOpen(_, let r): return "cannot open: \(r)"
        case .readFailed(_, let r): return "read error: \(r)"
        case .corrupt(_, let r), .unsupported(_, let r): return r
        case .truncatedWhileRead(_, let read, let size): return InputError.truncation(read: read, size: size)
        }
    }
}
