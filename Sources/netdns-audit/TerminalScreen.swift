#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The terminal as `watch` uses it: the alternate screen, the cursor, the window size.
enum TerminalScreen {
    static let enter = "\u{1B}[?1049h\u{1B}[?25l"
    static let leave = "\u{1B}[?25h\u{1B}[?1049l"

    /// A frame drawn over the previous one: cursor home, each line cleared to its end, and
    /// everything below the last line cleared, so counts change in place without flicker.
    static func frame(_ lines: [String]) -> String {
        var out = "\u{1B}[H"
        for line in lines { out += line + "\u{1B}[K\r\n" }
        return out + "\u{1B}[J"
    }

    /// Columns and rows of the terminal on `fd`, or 80×24 when it does not say.
    static func size(of fd: Int32) -> (columns: Int, rows: Int) {
        var ws = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 else { return (80, 24) }
        return (Int(ws.ws_col), Int(ws.ws_row))
    }

    /// Writes `text` to `fd` (1 or 2); a failure is reported as ``TerminalOutput`` reports it.
    static func write(_ text: String, to fd: Int32 = 1) {
        var text = text
        text.withUTF8 { _ = TerminalOutput.write(UnsafeRawBufferPointer($0), to: fd) }
    }
}

/// Set by SIGINT and SIGTERM while `watch` runs; the loop then ends and prints the report.
nonisolated(unsafe) var stopSignalNumber: Int32 = 0

enum StopSignals {
    /// Installs handlers that only set ``stopSignalNumber`` (no `SA_RESTART`: a waiting
    /// `poll` or `nanosleep` returns at once).
    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in stopSignalNumber = signal }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        // A parent may have left them blocked (the mask is inherited): unblock them.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        sigprocmask(SIG_UNBLOCK, &set, nil)
    }

    static var received: Bool { stopSignalNumber != 0 }
}

/// Seconds on a clock that does not jump.
enum MonotonicClock {
    static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Sleeps up to `seconds`; a signal cuts it short.
    static func sleep(_ seconds: Double) {
        guard seconds > 0 else { return }
        var ts = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        nanosleep(&ts, nil)
    }
}
