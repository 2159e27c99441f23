/// The command line of one command, parsed and validated against ``OptionTable``.
///
/// Options with a value take it as `--format json` or `--format=json`; flags take none; `-h` is
/// `--help`; `--` ends the options; `-` is a positional argument (standard input). Every value
/// is checked against its ``ValueRule`` here, before any input is read, and an option the
/// command does not take is refused (naming the commands that do), never ignored.
struct CommandLineArguments {
    let command: Command
    private(set) var positional: [String] = []
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []

    init(_ arguments: [String], command: Command) throws(UsageError) {
        self.command = command
        var i = 0
        var onlyPositional = false
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if onlyPositional || arg == "-" || !arg.hasPrefix("-") {
                positional.append(arg)
                continue
            }
            if arg == "--" { onlyPositional = true; continue }
            let spec: OptionSpec
            var inlineValue: String? = nil
            if arg.hasPrefix("--") {
                var name = String(arg.dropFirst(2))
                if let eq = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                guard let found = OptionTable.option(named: name) else { throw UsageError("unknown option '\(arg)'") }
                spec = found
            } else {
                guard arg.count == 2, let c = arg.dropFirst().first, let found = OptionTable.option(short: c) else {
                    throw UsageError("unknown option '\(arg)'")
                }
                spec = found
            }
            guard spec.commands.contains(command) else {
                let takers = Command.allCases.filter { spec.commands.contains($0) }.map(\.rawValue)
                throw UsageError("\(command.rawValue) does not take --\(spec.name) (an option of \(OptionSpec.alternatives(takers)))")
            }
            if spec.takesValue {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard i < arguments.count else { throw UsageError("option --\(spec.name) needs a value") }
                    value = arguments[i]
                    i += 1
                }
                try spec.validate(value, for: command)
                if spec.repeatable {
                    values[spec.name, default: []].append(value)
                } else {
                    values[spec.name] = [value]
                }
            } else {
                guard inlineValue == nil else { throw UsageError("option --\(spec.name) takes no value") }
                flags.insert(spec.name)
            }
        }
        // Options that only mean something with another (`watch --allow` without `--check`).
        if !has("help") && !has("version") {
            for spec in OptionTable.options(for: command) {
                guard let needed = spec.requires[command], isGiven(spec.name), !has(needed) else { continue }
                throw UsageError("--\(spec.name) needs --\(needed) on \(command.rawValue)")
            }
        }
    }

    /// Parses `arguments` for `command`, or prints the usage error with a pointer to its help
    /// and returns `nil`.
    static func parse(_ arguments: [String], for command: Command) -> CommandLineArguments? {
        do {
            return try CommandLineArguments(arguments, command: command)
        } catch {
            TerminalOutput.error("\(error.description) (see \(command.invocation) --help)")
            return nil
        }
    }

    func has(_ flag: String) -> Bool { flags.contains(flag) }
    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func isGiven(_ name: String) -> Bool { flags.contains(name) || values[name] != nil }
}

/// A mistake in the command line; reported in one line with exit code 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
