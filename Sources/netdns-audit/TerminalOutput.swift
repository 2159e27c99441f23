import Foundation
import CNetDNSShim

/// Writes to standard output and standard error without buffering surprises.
enum TerminalOutput {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func write(_ data: Data) {
        FileHandle.standardOutput.write(data)
    }

    /// One line on standard error. The line names paths, which may come from a directory tree
    /// or an archive written by someone else: control characters are shown as `\xNN`.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data(("netdns-audit: " + TextEscaping.terminalSafe(line) + "\n").utf8))
    }

    /// Whether colour may be used on standard output: a terminal, and `NO_COLOR` unset.
    static var colourAllowed: Bool {
        netdns_isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }
}
