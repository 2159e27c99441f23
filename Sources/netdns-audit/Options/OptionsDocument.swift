/// `docs/options.md`: every option of ``OptionTable`` and the commands that take it, as
/// Markdown. A test keeps the committed page equal to this rendering.
enum OptionsDocument {
    static func markdown() -> String {
        var out = """
        # Command-line options

        Every option of `netdns-audit`, and the commands that take it. This page is generated from
        the option table (`Sources/netdns-audit/Options/OptionTable.swift`), from which the parser
        and every `--help` page are derived too; `OptionTableTests` fails when it is out of date
        (run `UPDATE_OPTIONS_DOC=1 swift test --filter OptionTableTests` to rewrite it).

        A command refuses an option it does not take (exit 2, one line naming the commands that
        do take it), and every value is checked before any input is read. Options with a value
        take it as `--name VALUE` or `--name=VALUE`; a repeatable option keeps every value, any
        other keeps the last one given; `--` ends the options, and `-` is standard input.

        | Option | Commands | Value | Meaning |
        | --- | --- | --- | --- |

        """
        for spec in OptionTable.all {
            let commands = Command.allCases.filter { spec.commands.contains($0) }.map { "`\($0.rawValue)`" }.joined(separator: ", ")
            var value = spec.value.map { "`\($0)`" } ?? "-"
            switch spec.rule {
            case .integer(let r): value += r.upperBound == Int.max ? ": \(r.lowerBound) or more" : ": \(r.lowerBound) to \(r.upperBound)"
            case .seconds(let r): value += ": \(OptionSpec.shown(r.lowerBound)) to \(OptionSpec.shown(r.upperBound)) seconds"
            case .choice(let names): value += ": " + names.map { "`\($0)`" }.joined(separator: ", ")
            case .list(let names?): value += ": comma-separated, of " + names.map { "`\($0)`" }.joined(separator: ", ")
            case .list(nil): value += ": comma-separated"
            case .nonEmpty: value += ": not empty"
            case .glob: value += ": a well-formed glob"
            case .text: break
            }
            var meaning = spec.help.split(separator: "\n").joined(separator: " ")
            if spec.repeatable && !meaning.contains("repeatable") { meaning += " (repeatable)" }
            for (command, text) in spec.helpFor.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                meaning += "; `\(command.rawValue)`: " + text.split(separator: "\n").joined(separator: " ")
            }
            for (value, commands) in spec.valuesOnlyFor.sorted(by: { $0.key < $1.key }) {
                meaning += "; `\(value)` only for " + commands.map(\.rawValue).sorted().map { "`\($0)`" }.joined(separator: ", ")
            }
            for (command, needed) in spec.requires.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                meaning += "; needs `--\(needed)` on `\(command.rawValue)`"
            }
            let usage = (spec.short.map { "`-\($0)`, " } ?? "") + "`--\(spec.name)`"
            out += "| \(usage) | \(commands) | \(value) | \(meaning.replacingPipes) |\n"
        }
        return out
    }
}

extension String {
    /// `|` escaped for a Markdown table cell.
    var replacingPipes: String { split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") }
}
