#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NetDNSAudit

/// `netdns-audit watch [PATH...]`: analyses a live stream (standard input) or follows files and
/// directories, shows the analysis so far, and prints the final report when the input ends or
/// on Ctrl-C / SIGTERM.
enum WatchCommand {
    static func run(_ arguments: [String]) -> ExitCode {
        guard let args = CommandLineArguments.parse(arguments, for: .watch) else { return .usageOrInputError }
        if let code = args.answerHelpOrVersion() { return code }
        let format = ReportOutput.format(args)
        let grouping = args.grouping
        let interval = args.value("interval").flatMap(Double.init) ?? 10.0
        let options = AnalyzeCommand.analyzerOptions(args)
        var policy: CheckPolicy? = nil
        if args.has("check") {
            do {
                policy = try CheckCommand.checkPolicy(args)
            } catch {
                TerminalOutput.error(error.description)
                return .usageOrInputError
            }
        }
        let paths = args.positional.filter { $0 != "-" }
        guard paths.isEmpty || paths.count == args.positional.count else {
            TerminalOutput.error("watch reads either standard input (-) or files and directories, not both")
            return .usageOrInputError
        }
        let colour = TerminalOutput.colourAllowed && !args.has("no-color")
        var session = WatchSession(
            options: options, paths: paths, interval: interval, screen: isatty(1) == 1, colour: colour, grouping: grouping)
        let (summary, errors) = session.run()
        for error in errors where !session.printed.contains(error) { TerminalOutput.error(error.description) }
        if policy == nil { ReportOutput.noteSkipped(summary.totals) }
        if let policy {
            // `watch --check`: the final report is the check's findings and exit code.
            return CheckCommand.gate(summary, problems: errors.map(\.description), policy: policy, args: args,
                                     environment: ProcessInfo.processInfo.environment)
        }
        let report = AuditReport(summary.grouped(by: grouping))
        guard ReportOutput.write(report, as: format, colour: colour, grouping: grouping) else { return .usageOrInputError }
        return errors.isEmpty ? .success : .usageOrInputError
    }
}

/// The newest trace or failure message of each service, as lines are read.
final class LatestEvidence {
    var byService: [String: String] = [:]
    let service: String?

    init(service: String?) { self.service = service }

    static let limit = 200

    func note(_ identity: InstanceIdentity, _ message: UnsafeRawBufferPointer) {
        let key = service ?? LiveScreen.serviceKey(name: identity.service, namespace: identity.namespace)
        // A failure line is shown from its DNS error on (`lookup NAME ...: REASON`), the part
        // that tells what failed; a trace line from its start.
        let start = GoTraceParser.isTrace(message) ? 0 : DNSFailureScanner.firstMentionOffset(message) ?? 0
        byService[key] = String(decoding: message[start...].prefix(Self.limit), as: UTF8.self)
    }
}

/// The loop of `watch`: read what is there, redraw (terminal) or print a JSON line
/// (otherwise) when it is time, until the input ends or a stop signal comes.
struct WatchSession {
    enum Input {
        case standardInput(DescriptorReader, LiveStream)
        case files(FileFollower)
    }

    let options: AnalyzerOptions
    let interval: Double
    let screen: Bool
    let colour: Bool
    let input: Input
    let latest: LatestEvidence
    var errors: [InputError] = []
    /// Problems already printed while running (off the terminal screen).
    var printed: [InputError] = []

    /// The rows of the JSON lines (the screen always shows services).
    let grouping: ReportGrouping

    init(options: AnalyzerOptions, paths: [String], interval: Double, screen: Bool, colour: Bool, grouping: ReportGrouping = .service) {
        self.grouping = grouping
        self.options = options
        self.interval = interval
        self.screen = screen
        self.colour = colour
        let latest = LatestEvidence(service: options.service)
        self.latest = latest
        let observer: (InstanceIdentity, UnsafeRawBufferPointer) -> Void = { latest.note($0, $1) }
        if paths.isEmpty {
            let stream = LiveStream(source: SourceContext(path: nil), mode: .perLine, options: options)
            stream.analyzer.evidenceObserver = observer
            input = .standardInput(DescriptorReader(fd: 0, name: "-"), stream)
        } else {
            let follower = FileFollower(paths: paths, options: options, evidence: observer)
            follower.stopRequested = { StopSignals.received }
            input = .files(follower)
        }
    }

    /// Runs until the end of standard input or a stop signal; returns the final summary.
    mutating func run() -> (AuditSummary, [InputError]) {
        StopSignals.install()
        if screen { TerminalScreen.write(TerminalScreen.enter) }
        let start = MonotonicClock.seconds()
        let period = screen ? 1.0 : interval
        var nextOutput = screen ? start : start + interval
        var lastOutput = start
        var lastLines = 0
        var rate = 0.0
        loop: while !StopSignals.received {
            let now = MonotonicClock.seconds()
            let wait = max(0, min(0.25, nextOutput - now))
            switch input {
            case .standardInput(let reader, let stream):
                switch reader.read(waitingAtMost: Int32(wait * 1000), into: stream) {
                case .read, .idle: break
                case .ended: break loop
                case .failed(let error):
                    errors.append(error)
                    break loop
                }
            case .files(let follower):
                let read = follower.poll()
                for problem in follower.takeProblems() {
                    errors.append(problem)
                    if !screen {
                        TerminalOutput.error(problem.description)
                        printed.append(problem)
                    }
                }
                if read == 0 { MonotonicClock.sleep(wait) }
            }
            let after = MonotonicClock.seconds()
            if after >= nextOutput {
                let summary = snapshot()
                // The rate over the last period; a first frame drawn at once shows 0 rather than a burst.
                if after - lastOutput >= 0.5 {
                    rate = Double(summary.totals.lines - lastLines) / (after - lastOutput)
                    lastOutput = after
                    lastLines = summary.totals.lines
                }
                output(summary, elapsed: after - start, linesPerSecond: rate)
                nextOutput = max(nextOutput + period, after + period / 2)
            }
        }
        if screen { TerminalScreen.write(TerminalScreen.leave) }
        let final = finish()
        if case .files(let follower) = input { errors += follower.takeProblems() }
        return (final, errors)
    }

    func snapshot() -> AuditSummary {
        switch input {
        case .standardInput(_, let stream):
            var summary = stream.snapshot()
            if let service = options.service { summary.assignService(service) }
            return summary
        case .files(let follower):
            return follower.snapshot()
        }
    }

    func finish() -> AuditSummary {
        switch input {
        case .standardInput(_, let stream):
            var summary = stream.finish()
            if let service = options.service { summary.assignService(service) }
            return summary
        case .files(let follower):
            return follower.finish()
        }
    }

    var sourceName: String {
        switch input {
        case .standardInput: return "standard input"
        case .files(let follower): return "\(follower.followedFileCount) file(s)"
        }
    }

    func output(_ summary: AuditSummary, elapsed: Double, linesPerSecond: Double) {
        let report = AuditReport(screen ? summary : summary.grouped(by: grouping))
        if screen {
            let size = TerminalScreen.size(of: 1)
            let frame = LiveScreen.Frame(
                report: report, latest: latest.byService, elapsed: elapsed, linesPerSecond: linesPerSecond,
                source: sourceName, columns: size.columns, rows: size.rows)
            TerminalScreen.write(TerminalScreen.frame(LiveScreen(colour: colour).lines(frame)))
        } else {
            guard let data = try? report.jsonData(oneLine: true) else { return }
            TerminalOutput.write(JSONOutputEscaping.terminalSafe(data))
        }
    }
}
