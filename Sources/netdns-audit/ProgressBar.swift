import Foundation
import NetDNSAudit

/// The one-line progress bar of a batch run on standard error: a pure function of bytes done,
/// bytes in all, time and width.
enum ProgressBar {
    /// `[#####.....]  45%  123.4 of 456.7 MB  12.3 MB/s  ETA 0:27`, at most `width` columns.
    static func line(done: Int, total: Int, elapsed: Double, width: Int) -> String {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let percent = Int((fraction * 100).rounded(.down))
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta: Double? = rate > 0 && done > 0 ? Double(max(0, total - done)) / rate : nil
        let tail = "  \(String(percent).leftPaddedWithSpaces(3))%  \(megabytes(done)) of \(megabytes(total)) MB  \(megabytes(Int(rate))) MB/s  ETA \(self.eta(eta))"
        let barWidth = min(40, width - tail.count - 3)
        guard barWidth >= 5 else { return LiveScreen.cut(tail.trimmingCharacters(in: .whitespaces), max(1, width - 1)) }
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled) + "]" + tail
    }

    /// Bytes as megabytes (10^6) with one decimal.
    static func megabytes(_ bytes: Int) -> String {
        let tenths = (bytes + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// `m:ss`, `h:mm:ss`, or `--:--` when unknown.
    static func eta(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite, seconds < 100 * 3600 else { return "--:--" }
        let s = Int(seconds.rounded(.up))
        if s >= 3600 { return LiveScreen.clock(Double(s)) }
        return "\(s / 60):" + String(s % 60).leftPadded(2)
    }

    /// Erases the bar's line.
    static let erase = "\r\u{1B}[2K"
}

/// Draws ``ProgressBar`` on standard error while ``Analyzer`` reads, at most ten times a second.
final class BatchProgress: @unchecked Sendable {
    let total: Int
    let start = MonotonicClock.seconds()
    let lock = NSLock()
    var done = 0
    var lastDraw = -Double.infinity
    var drawn = false

    init(total: Int) { self.total = total }

    /// A progress display for `analyze`, hooked into `options`; `nil` (and no hook) when
    /// standard error is not a terminal, under `--quiet` or `--no-progress`, or when the inputs
    /// have no known size (standard input).
    static func start(for inputs: [InputSpec], arguments args: CommandLineArguments, options: inout AnalyzerOptions) -> BatchProgress? {
        guard isatty(2) == 1, !args.has("quiet"), !args.has("no-progress"),
              let total = Analyzer(options: options).inputByteCount(inputs), total > 0 else { return nil }
        let progress = BatchProgress(total: total)
        options.progress = { progress.advance($0.newBytes) }
        return progress
    }

    func advance(_ bytes: Int) {
        lock.lock()
        defer { lock.unlock() }
        done += bytes
        let now = MonotonicClock.seconds()
        guard now - lastDraw >= 0.1 else { return }
        lastDraw = now
        drawn = true
        let width = TerminalScreen.size(of: 2).columns
        TerminalScreen.write("\r" + ProgressBar.line(done: done, total: total, elapsed: now - start, width: width - 1), to: 2)
    }

    /// Erases the bar, if it was drawn.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { TerminalScreen.write(ProgressBar.erase, to: 2) }
        drawn = false
    }
}

extension String {
    func leftPaddedWithSpaces(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
