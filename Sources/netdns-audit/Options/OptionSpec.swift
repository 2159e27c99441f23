import Foundation
import NetDNSAudit

/// A subcommand of `netdns-audit`.
enum Command: String, CaseIterable, Sendable {
    case analyze, check, watch, merge, inspect

    /// `netdns-audit analyze`, or `netdns-audit check`, for messages.
    var invocation: String { "netdns-audit \(rawValue)" }
}

/// How a help page sorts its options: one section per group.
enum OptionGroup: Sendable {
    case input, report, analysis, policy, output, general
}

/// What an option's value must be. Checked while the command line is parsed, before any input
/// is read.
enum ValueRule: Sendable {
    /// Any text.
    case text
    /// Any text but the empty string.
    case nonEmpty
    /// A decimal integer in the range.
    case integer(ClosedRange<Int>)
    /// A decimal number of seconds in the range.
    case seconds(ClosedRange<Double>)
    /// One of the names.
    case choice([String])
    /// A shell-style pattern (``GlobPattern``) that is well formed.
    case glob
    /// A comma-separated list (`a,b`) of non-empty items; of the names when given.
    case list([String]?)
}

/// One option: its name, its value, its help line and the commands that take it.
///
/// ``OptionTable/all`` declares every option once; the parser (``CommandLineArguments``), the
/// validation of values and every `--help` page are derived from it.
struct OptionSpec: Sendable {
    /// The long name, without the dashes.
    let name: String
    /// A one-letter alias (`-h`).
    let short: Character?
    /// The value's placeholder in help (`FORMAT`), or `nil` for a flag.
    let value: String?
    /// What the value must be.
    let rule: ValueRule
    /// Whether the option may be given several times (all values are kept; otherwise the last wins).
    let repeatable: Bool
    /// Where help lists it.
    let group: OptionGroup
    /// The commands that take it.
    let commands: Set<Command>
    /// Help text (lines after the first are continuation lines).
    let help: String
    /// A command's own help text for it, when it differs.
    let helpFor: [Command: String]
    /// Values of a ``ValueRule/choice`` that only some commands take.
    let valuesOnlyFor: [String: Set<Command>]
    /// A flag this option needs on a command (`watch --allow` needs `--check`).
    let requires: [Command: String]

    init(
        _ name: String, short: Character? = nil, value: String? = nil, rule: ValueRule = .text, repeatable: Bool = false,
        group: OptionGroup, commands: Set<Command>, help: String, helpFor: [Command: String] = [:],
        valuesOnlyFor: [String: Set<Command>] = [:], requires: [Command: String] = [:]
    ) {
        self.name = name
        self.short = short
        self.value = value
        self.rule = rule
        self.repeatable = repeatable
        self.group = group
        self.commands = commands
        self.help = help
        self.helpFor = helpFor
        self.valuesOnlyFor = valuesOnlyFor
        self.requires = requires
    }

    var takesValue: Bool { value != nil }

    /// `-h, --help` or `--format FORMAT`.
    var usage: String {
        var s = short.map { "-\($0), " } ?? ""
        s += "--\(name)"
        if let value { s += " \(value)" }
        return s
    }

    func help(for command: Command) -> String { helpFor[command] ?? help }

    /// The names of a choice that `command` takes.
    func choices(for command: Command) -> [String]? {
        guard case .choice(let names) = rule else { return nil }
        return names.filter { valuesOnlyFor[$0].map { $0.contains(command) } ?? true }
    }

    /// Checks `text` against the rule; the message names the option.
    func validate(_ text: String, for command: Command) throws(UsageError) {
        switch rule {
        case .text:
            return
        case .nonEmpty:
            guard !text.isEmpty else { throw UsageError("--\(name) needs a non-empty value") }
        case .integer(let range):
            guard let n = Int(text), range.contains(n) else {
                let bounds = range.upperBound == Int.max ? "of \(range.lowerBound) or more" : "from \(range.lowerBound) to \(range.upperBound)"
                throw UsageError("--\(name) takes a whole number \(bounds), not '\(text)'")
            }
        case .seconds(let range):
            guard let n = Double(text), n.isFinite, range.contains(n) else {
                throw UsageError("--\(name) takes seconds from \(Self.shown(range.lowerBound)) to \(Self.shown(range.upperBound)), not '\(text)'")
            }
        case .choice:
            let names = choices(for: command) ?? []
            guard names.contains(text) else {
                throw UsageError("--\(name) must be \(Self.alternatives(names)), not '\(text)'")
            }
        case .glob:
            guard !text.isEmpty else { throw UsageError("--\(name) needs a non-empty pattern") }
            if let problem = GlobPattern.problem(in: text) { throw UsageError("--\(name): \(problem)") }
        case .list(let names):
            let items = Self.listItems(text)
            guard !items.isEmpty else { throw UsageError("--\(name) needs at least one name") }
            if let names {
                for item in items where !names.contains(item) {
                    throw UsageError("--\(name) takes \(names.joined(separator: ", ")), not '\(item)'")
                }
            }
        }
    }

    /// `a, b,c` as `["a", "b", "c"]`, empty items dropped.
    static func listItems(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `a, b or c`.
    static func alternatives(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    }

    static func shown(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
}
