/// A tiny argument scanner: flags with values (`--format json` or `--format=json`),
/// boolean flags, and positional arguments; `--` ends the flags.
struct CommandLineArguments {
    private(set) var positional: [String] = []
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []

    /// Options that take a value, by name without dashes.
    init(_ arguments: [String], valued: Set<String>, boolean: Set<String>) throws(UsageError) {
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
            var name = String(arg.drop(while: { $0 == "-" }))
            var inlineValue: String? = nil
            if let eq = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if arg == "-h" { name = "help" }
            if valued.contains(name) {
                if let v = inlineValue {
                    values[name, default: []].append(v)
                } else {
                    guard i < arguments.count else { throw UsageError("option --\(name) needs a value") }
                    values[name, default: []].append(arguments[i])
                    i += 1
                }
            } else if boolean.contains(name) {
                guard inlineValue == nil else { throw UsageError("option --\(name) takes no value") }
                flags.insert(name)
            } else {
                throw UsageError("unknown option '\(arg)'")
            }
        }
    }

    /// Parses `arguments`, or prints the usage error with a pointer to `help` and returns `nil`.
    static func parse(_ arguments: [String], valued: Set<String>, boolean: Set<String>, help: String) -> CommandLineArguments? {
        do {
            return try CommandLineArguments(arguments, valued: valued, boolean: boolean)
        } catch {
            TerminalOutput.error("\(error.description) (see \(help))")
            return nil
        }
    }

    func has(_ flag: String) -> Bool { flags.contains(flag) }
    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
}

/// A mistake in the command line; reported in one line with exit code 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
