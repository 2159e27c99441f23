#if canImport(Glibc)
import Glibc
#endif
import Foundation
import CNetDNSShim

/// Writes to standard output and standard error with write(2), never trapping.
///
/// A failed write (a full disk, a closed or read-only descriptor) is reported once, in one
/// line on standard error when that can still be written (a pipe whose reader has gone ends
/// quietly, as `| head -1` expects); later writes to the
/// same stream are skipped, and ``exitCode(_:)`` turns the command's exit code into 2, since
/// its output is incomplete.
enum TerminalOutput {
    /// The streams a write failed on, by descriptor, and why.
    nonisolated(unsafe) static var failures: [Int32: Int32] = [:]
    /// Standard descriptors that were closed when the process started (see ``prepare()``).
    nonisolated(unsafe) static var closedAtStart: Int32 = 0

    /// Called first: a closed standard descriptor is kept unusable (rather than reused by the
    /// next file opened), and a closed pipe becomes a write error (EPIPE) instead of SIGPIPE.
    static func prepare() {
        closedAtStart = netdns_reserve_standard_descriptors()
        signal(SIGPIPE, SIG_IGN)
    }

    /// Writes `text` to standard output; false when it could not be written.
    @discardableResult
    static func write(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { write(UnsafeRawBufferPointer($0), to: 1) }
    }

    @discardableResult
    static func write(_ data: Data) -> Bool {
        data.withUnsafeBytes { write($0, to: 1) }
    }

    /// One line on standard error. The line names paths, which may come from a directory tree
    /// or an archive written by someone else: control characters are shown as `\xNN`.
    static func error(_ line: String) {
        var text = "netdns-audit: " + TextEscaping.terminalSafe(line) + "\n"
        text.withUTF8 { _ = write(UnsafeRawBufferPointer($0), to: 2) }
    }

    /// Writes all of `bytes` to `fd` (1 or 2), retrying on EINTR and short writes.
    static func write(_ bytes: UnsafeRawBufferPointer, to fd: Int32) -> Bool {
        guard failures[fd] == nil else { return false }
        guard let base = bytes.baseAddress else { return true }
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, base + done, bytes.count - done)
            if n > 0 {
                done += n
                continue
            }
            if n < 0 && errno == EINTR { continue }
            failed(fd, errno: n == 0 ? EIO : errno)
            return false
        }
        return true
    }

    /// Records a failed write and says so on standard error (unless that is what failed, or
    /// the reader of a pipe has gone, as `| head -1` does: that ends quietly).
    static func failed(_ fd: Int32, errno code: Int32) {
        failures[fd] = code
        guard fd != 2, code != EPIPE else { return }
        error("cannot write \(streamName(fd)): \(reason(fd, code))")
    }

    static func streamName(_ fd: Int32) -> String { fd == 1 ? "standard output" : "standard error" }

    static func reason(_ fd: Int32, _ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return closedAtStart & (1 << fd) != 0 ? "it was closed when netdns-audit started (\(text))" : text
    }

    /// The exit code of a command that returned `code`: 2 when a write to standard output or
    /// standard error failed.
    static func exitCode(_ code: ExitCode) -> ExitCode { failures.isEmpty ? code : .usageOrInputError }

    /// Whether colour may be used on standard output: a terminal, and `NO_COLOR` unset.
    static var colourAllowed: Bool {
        netdns_isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }
}
