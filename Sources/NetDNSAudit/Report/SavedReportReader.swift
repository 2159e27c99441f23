import Foundation

/// One saved report, read back: the tool that wrote it and its mergeable summary.
public struct SavedReport: Sendable {
    public var tool: String?
    public var summary: AuditSummary
}

/// Reads saved JSON reports (`analyze --format json`, `merge --format json` / `json-line`) from
/// files or standard input: the one reader of `merge` and `check --summary`.
///
/// An input may hold one report, one per line (json-line, as map steps emit them) or reports
/// simply concatenated (`cat a.json b.json`); between them only whitespace (space, tab, CR, LF)
/// is allowed, and a UTF-8 byte order mark at the very start. Reports are read as they stream
/// in: derived fields are skipped unread and each instance's counters are merged as soon as
/// they are read, so memory follows the merged output, not the size of the input.
///
/// One reader is used for all the inputs of a run: its ``CountBudget`` bounds the counts of
/// everything read together (see ``WireReportDecoder``).
public final class SavedReportReader {
    /// The counts read so far, over every input.
    public private(set) var budget = CountBudget()

    public init() {}

    /// Calls `body` with every report in `input`, in order, and returns how many there were.
    ///
    /// Throws at the first problem: the input cannot be read, holds no report, is not a
    /// report, has a `schemaVersion` this version does not read, holds an invalid number, or
    /// ends inside a report. Reports before the problem have already been passed to `body`;
    /// the report with the problem has not.
    @discardableResult
    public func read(_ input: InputSpec, _ body: (SavedReport) -> Void) throws(SavedReportError) -> Int {
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
    public func read<S: ByteSource>(_ bytes: inout S, name: String, _ body: (SavedReport) -> Void) throws(SavedReportError) -> Int {
        var source = bytes
        defer { bytes = source }
        var inputError: InputError?
        let reader = JSONReader { (buffer: UnsafeMutableRawBufferPointer) throws(JSONReadError) -> Int in
            do throws(InputError) {
                return try source.read(into: buffer)
            } catch {
                inputError = error
                throw JSONReadError(path: "", offset: 0, problem: error.problemText)
            }
        }
        do throws(StreamError) {
            return try readDocuments(reader, body)
        } catch {
            if let inputError { throw SavedReportError(path: name, problem: inputError.problemText) }
            throw SavedReportError(path: name, problem: error.problem)
        }
    }

    /// Reads the reports of `bytes`.
    @discardableResult
    public func read(bytes: [UInt8], name: String, _ body: (SavedReport) -> Void) throws(SavedReportError) -> Int {
        do throws(StreamError) {
            return try readDocuments(JSONReader(bytes: bytes), body)
        } catch {
            throw SavedReportError(path: name, problem: error.problem, unsupportedVersion: error.unsupportedVersion)
        }
    }

    /// Why a stream could not be read: the problem, and the report's `schemaVersion` when that
    /// was it.
    struct StreamError: Error {
        var problem: String
        var unsupportedVersion: Int?
    }

    private func readDocuments(_ reader: JSONReader, _ body: (SavedReport) -> Void) throws(StreamError) -> Int {
        var index = 0
        func locate(_ problem: String) -> String { index > 1 ? "report \(index): \(problem)" : problem }
        do {
            if try reader.peekByte() == 0xEF {
                for expected: UInt8 in [0xEF, 0xBB, 0xBF] where try reader.nextByte() != expected {
                    throw StreamError(problem: "not a netdns-audit JSON report: a broken byte order mark at byte \(reader.offset)")
                }
            }
            while let b = try reader.skipWhitespace() {
                guard b == 0x7B else {
                    index += 1
                    throw StreamError(problem: locate("not a netdns-audit JSON report: \(JSONReader.shown(b)) at byte \(reader.offset + 1) where a report should start"))
                }
                index += 1
                let report: (tool: String?, summary: AuditSummary)
                do {
                    report = try WireReportDecoder(reader).readReport(budget: &budget)
                } catch {
                    if let v = error.unsupportedVersion {
                        let supported = WireReportDecoder.supportedVersions
                        throw StreamError(
                            problem: locate("schemaVersion \(v) is not supported (this version reads \(supported.lowerBound) to \(supported.upperBound); a newer netdns-audit wrote it?)"),
                            unsupportedVersion: v)
                    }
                    if (try? reader.peekByte()) == nil, error.problem.contains("the end of the input") || error.problem.contains("ends inside") {
                        throw StreamError(problem: locate("truncated: the input ends inside a report (after \(reader.offset) bytes)"))
                    }
                    throw StreamError(problem: locate(error.description))
                }
                body(SavedReport(tool: report.tool, summary: report.summary))
            }
        } catch let error as StreamError {
            throw error
        } catch {
            throw StreamError(problem: "\(error)")
        }
        guard index > 0 else { throw StreamError(problem: "no report found (empty input)") }
        return index
    }
}

/// Why saved reports could not be read: the input's name and the problem, for one line.
public struct SavedReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path, or `-` for standard input.
    public var path: String
    public var problem: String
    /// The report's `schemaVersion`, when that was the problem.
    public var unsupportedVersion: Int?

    public init(path: String, problem: String, unsupportedVersion: Int? = nil) {
        self.path = path
        self.problem = problem
        self.unsupportedVersion = unsupportedVersion
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
