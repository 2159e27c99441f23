import Foundation
import Testing
@testable import netdns_audit

/// The option table: every command takes exactly its options, checks their values while parsing,
/// lists them in its help, and the README and docs/options.md agree with it.
@Suite struct OptionTableTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A value the option accepts on `command`.
    static func validValue(_ spec: OptionSpec, for command: Command) -> String {
        switch spec.rule {
        case .text, .nonEmpty, .glob: return "x"
        case .integer(let r): return String(r.lowerBound)
        case .seconds(let r): return String(r.lowerBound)
        case .choice: return spec.choices(for: command)?.first ?? ""
        case .list(let names): return names?.first ?? "a"
        }
    }

    static func arguments(_ spec: OptionSpec, for command: Command) -> [String] {
        var args = ["--\(spec.name)"]
        if spec.takesValue { args.append(validValue(spec, for: command)) }
        if let needed = spec.requires[command] { args.append("--\(needed)") }
        return args
    }

    @Test func everyCommandTakesItsOptionsAndRefusesTheOthers() throws {
        var accepted = 0, refused = 0
        for command in Command.allCases {
            for spec in OptionTable.all {
                let args = Self.arguments(spec, for: command)
                if spec.commands.contains(command) {
                    let parsed = try CommandLineArguments(args, command: command)
                    #expect(parsed.isGiven(spec.name), "\(command) --\(spec.name)")
                    accepted += 1
                } else {
                    #expect(throws: UsageError.self, "\(command) --\(spec.name)") { try CommandLineArguments(args, command: command) }
                    do {
                        _ = try CommandLineArguments(args, command: command)
                    } catch {
                        #expect(error.description.hasPrefix("\(command.rawValue) does not take --\(spec.name) (an option of "))
                    }
                    refused += 1
                }
            }
        }
        #expect(accepted + refused == Command.allCases.count * OptionTable.all.count)
        #expect(refused > 0)
    }

    @Test func theIssuesCasesAreRefusedOrWork() throws {
        // watch: --version is the version; --jobs, --mmap, --quiet are refused; --group-by works.
        #expect(try CommandLineArguments(["--version"], command: .watch).has("version"))
        for option in ["--jobs=2", "--mmap", "--quiet"] {
            #expect(throws: UsageError.self) { try CommandLineArguments([option], command: .watch) }
        }
        #expect(try CommandLineArguments(["--group-by", "namespace"], command: .watch).grouping == .namespace)
        // check: --group-by is refused (policies are per service).
        #expect(throws: UsageError.self) { try CommandLineArguments(["--group-by", "instance"], command: .check) }
        // watch: policy options without --check are refused; with it they are taken.
        #expect(throws: UsageError.self) { try CommandLineArguments(["--allow", "x"], command: .watch) }
        #expect(try CommandLineArguments(["--allow", "x", "--check"], command: .watch).all("allow") == ["x"])
        // analyze and watch do not take merge's json-line.
        #expect(throws: UsageError.self) { try CommandLineArguments(["--format", "json-line"], command: .analyze) }
        #expect(try CommandLineArguments(["--format=json-line"], command: .merge).value("format") == "json-line")
    }

    @Test func valuesAreCheckedWhileParsing() throws {
        let bad: [(Command, [String], String)] = [
            (.analyze, ["--group-by", "pod"], "--group-by must be service, namespace or instance, not 'pod'"),
            (.analyze, ["--jobs", "0"], "--jobs takes a whole number from 1 to 1024, not '0'"),
            (.analyze, ["--max-line-bytes", "10"], "--max-line-bytes takes a whole number from 1024 to 1073741824, not '10'"),
            (.check, ["--max-failures", "-1"], "--max-failures takes a whole number of 0 or more, not '-1'"),
            (.check, ["--fail-on", "servfail,bogus"], "--fail-on takes nxdomain, servfail, timeout, refused, temporary, nodata, other, not 'bogus'"),
            (.check, ["--fail-on", ","], "--fail-on needs at least one name"),
            (.check, ["--allow", ""], "--allow needs a non-empty pattern"),
            (.check, ["--allow", "[a-"], "--allow: '[a-': the '[' at character 1 has no ']' to close its set (a ']' right after '[' or '[!' is a member; write '\\[' for a bracket)"),
            (.check, ["--allow", "[]"], "--allow: '[]': the '[' at character 1 has no ']' to close its set (a ']' right after '[' or '[!' is a member; write '\\[' for a bracket)"),
            (.check, ["--allow", "api-\\"], "--allow: 'api-\\' ends with a lone '\\' (write '\\\\' for a backslash)"),
            (.check, ["--allow", "[z-a]*"], "--allow: '[z-a]*': the range z-a is empty (its ends are reversed)"),
            (.check, ["--undetermined", "maybe"], "--undetermined must be fail, warn or pass, not 'maybe'"),
            (.watch, ["--interval", "0"], "--interval takes seconds from 0.1 to 86400, not '0'"),
            (.watch, ["--interval", "nan"], "--interval takes seconds from 0.1 to 86400, not 'nan'"),
            (.merge, ["--format"], "option --format needs a value"),
            (.merge, ["--no-color=yes"], "option --no-color takes no value"),
            (.merge, ["--bogus"], "unknown option '--bogus'"),
            (.merge, ["-x"], "unknown option '-x'"),
        ]
        for (command, args, message) in bad {
            do {
                _ = try CommandLineArguments(args, command: command)
                Issue.record("\(command) \(args) was accepted")
            } catch {
                #expect(error.description == message)
            }
        }
        let ok = try CommandLineArguments(["-h", "--", "--format", "-"], command: .merge)
        #expect(ok.has("help"))
        #expect(ok.positional == ["--format", "-"])
    }

    @Test func helpListsExactlyTheOptionsOfItsCommand() {
        for command in Command.allCases {
            let help = HelpPage.text(for: command)
            for spec in OptionTable.all {
                let listed = help.contains("  --\(spec.name) ") || help.contains("  --\(spec.name)\n") || help.contains(", --\(spec.name) ")
                    || help.contains(", --\(spec.name)\n") || help.contains("  \(spec.usage)")
                #expect(listed == spec.commands.contains(command), "\(command) help and --\(spec.name)")
            }
            for line in help.split(separator: "\n") { #expect(line.count <= 100, "\(command): \(line)") }
        }
    }

    /// Options of other programs that the README shows in their commands.
    static let foreignOptions: Set<String> = [
        "all-containers", "archives", "depth", "master", "max-log-requests", "no-install-recommends", "no-log-prefix",
        "prefix", "sanitize", "scratch-path", "static-swift-stdlib", "timestamps",
    ]

    @Test func everyOptionTheReadmeDocumentsIsInTheTableAndItsHelp() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let names = Set(readme.matches(of: /--([a-z][a-z0-9-]*)/).map { String($0.1) })
        let ours = names.subtracting(Self.foreignOptions)
        #expect(ours.count >= 20)
        for name in ours.sorted() {
            let spec = OptionTable.option(named: name)
            #expect(spec != nil, "README documents --\(name), which the option table lacks")
            guard let spec else { continue }
            for command in spec.commands { #expect(HelpPage.text(for: command).contains("--\(name)")) }
        }
        for name in Self.foreignOptions { #expect(OptionTable.option(named: name) == nil) }
    }

    @Test func optionsDocumentIsUpToDate() throws {
        let url = Self.root.appendingPathComponent("docs/options.md")
        let generated = OptionsDocument.markdown()
        if ProcessInfo.processInfo.environment["UPDATE_OPTIONS_DOC"] == "1" {
            try Data(generated.utf8).write(to: url)
        }
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(committed == generated, "docs/options.md is out of date: UPDATE_OPTIONS_DOC=1 swift test --filter OptionTableTests")
    }

    @Test func tableHasNoDuplicates() {
        #expect(Set(OptionTable.all.map(\.name)).count == OptionTable.all.count)
        #expect(OptionTable.all.compactMap(\.short).count == Set(OptionTable.all.compactMap(\.short)).count)
    }
}
