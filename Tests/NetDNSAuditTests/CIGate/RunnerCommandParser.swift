import Foundation

/// A port of how the GitHub Actions runner (actions/runner) turns a step's output into workflow
/// commands, to check that `check`'s output forms exactly the commands it means and no others:
///
/// - `ProcessInvoker.StartReadStream`: standard output and standard error are decoded as UTF-8
///   (invalid bytes become U+FFFD) and cut into lines by `StreamReader.ReadLine` (`\r`, `\n`, `\r\n`);
/// - `OutputManager.OnDataReceived`: a line holding `##[` or `::` goes to the command manager;
/// - `ActionCommandManager.TryProcessCommand`: `ActionCommand.TryParseV2` (the `::name props::data`
///   form, after `TrimStart`), else `ActionCommand.TryParse` (the legacy `##[name props]data`
///   form anywhere in the line); the names registered (case-insensitive); `stop-commands`
///   suspends every command until its token comes back;
/// - `ExecutionContext.AddIssue`: at most 10 issues of each type per step, messages cut to 4096
///   UTF-16 units.
///
/// The runner searches with culture-sensitive `IndexOf`/`StartsWith` (ICU), which skips
/// ignorable code points. The port over-approximates that by deleting every default-ignorable
/// code point and every control character but tab before searching: it finds at least every
/// command the runner finds.
struct RunnerCommandParser {
    struct Command: Equatable {
        var name: String
        var properties: [String: String]
        var data: String
        /// Found by the legacy `##[` parser.
        var legacy: Bool
    }

    /// The commands the runner registers (`ActionCommandManager.Initialize` and its extensions).
    static let registeredCommands: Set<String> = [
        "stop-commands", "set-env", "set-output", "save-state", "add-mask", "add-path", "add-matcher",
        "remove-matcher", "debug", "warning", "error", "notice", "group", "endgroup", "echo",
    ]

    var registered = RunnerCommandParser.registeredCommands
    private(set) var stopToken: String? = nil
    /// Every command the runner would execute, in order (the stop and resume commands included).
    private(set) var executed: [Command] = []
    /// The issues (annotations) the runner keeps, by type: at most 10 each.
    private(set) var issues: [String: [Command]] = [:]
    /// Lines printed as plain output.
    private(set) var outputLines: [String] = []

    static let maxIssuesPerType = 10
    static let maxIssueMessageLength = 4096

    /// Feeds a whole stream (standard output or standard error) to the runner.
    mutating func feed(_ bytes: Data) {
        for line in Self.lines(bytes) { process(line) }
    }

    /// `StreamReader.ReadLine` over UTF-8: lines end at `\r`, `\n` or `\r\n`.
    static func lines(_ bytes: Data) -> [String] {
        // CR and LF are ASCII: cutting the bytes first and decoding each line is the same as
        // decoding first (an invalid sequence never spans a CR or LF).
        let raw = [UInt8](bytes)
        var lines: [String] = []
        var start = 0
        var i = 0
        while i < raw.count {
            let b = raw[i]
            if b == 0x0A || b == 0x0D {
                lines.append(String(decoding: raw[start..<i], as: UTF8.self))
                if b == 0x0D && i + 1 < raw.count && raw[i + 1] == 0x0A { i += 1 }
                start = i + 1
            }
            i += 1
        }
        if start < raw.count { lines.append(String(decoding: raw[start...], as: UTF8.self)) }
        return lines
    }

    /// One line through `OutputManager.OnDataReceived` and `TryProcessCommand`.
    mutating func process(_ line: String) {
        let folded = Self.fold(line)
        guard !folded.isEmpty, folded.contains("##[") || folded.contains("::") else {
            outputLines.append(line)
            return
        }
        guard let command = Self.tryParseV2(folded, registered) ?? Self.tryParse(folded, registered) else {
            outputLines.append(line)
            return
        }
        if let token = stopToken {
            if command.name.lowercased() == token.lowercased() {
                registered.remove(token.lowercased())
                stopToken = nil
                executed.append(command)
            } else {
                outputLines.append(line)
            }
            return
        }
        executed.append(command)
        switch command.name.lowercased() {
        case "stop-commands":
            stopToken = command.data
            registered.insert(command.data.lowercased())
        case "error", "warning", "notice":
            let type = command.name.lowercased()
            var kept = command
            if kept.data.utf16.count > Self.maxIssueMessageLength {
                kept.data = String(decoding: Array(kept.data.utf16.prefix(Self.maxIssueMessageLength)), as: UTF16.self)
            }
            if issues[type, default: []].count < Self.maxIssuesPerType { issues[type, default: []].append(kept) }
        default:
            break
        }
    }

    /// `ActionCommand.TryParseV2`.
    static func tryParseV2(_ line: String, _ registered: Set<String>) -> Command? {
        let message = Substring(line).drop { isWhiteSpace($0) }
        guard message.hasPrefix("::") else { return nil }
        let afterKey = message.dropFirst(2)
        guard let end = afterKey.range(of: "::") else { return nil }
        let info = afterKey[..<end.lowerBound]
        let space = info.firstIndex(of: " ")
        let name = String(space.map { info[..<$0] } ?? info)
        guard registered.contains(name.lowercased()) else { return nil }
        var properties: [String: String] = [:]
        if let space, space > info.startIndex {
            let text = String(info[info.index(after: space)...]).trimmingCharacters(in: .whitespaces)
            for property in text.split(separator: ",", omittingEmptySubsequences: true) {
                let pair = splitPair(property)
                if pair.count == 2 { properties[pair[0]] = unescape(pair[1], propertyMappings) }
            }
        }
        return Command(name: name, properties: properties, data: unescape(String(afterKey[end.upperBound...]), dataMappings), legacy: false)
    }

    /// `ActionCommand.TryParse` (the legacy form): `##[` anywhere in the line.
    static func tryParse(_ line: String, _ registered: Set<String>) -> Command? {
        guard let prefix = line.range(of: "##["), let rb = line[prefix.upperBound...].firstIndex(of: "]") else { return nil }
        let info = line[prefix.upperBound..<rb]
        let space = info.firstIndex(of: " ")
        let name = String(space.map { info[..<$0] } ?? info)
        guard registered.contains(name.lowercased()) else { return nil }
        var properties: [String: String] = [:]
        if let space, space > info.startIndex {
            for property in info[info.index(after: space)...].split(separator: ";", omittingEmptySubsequences: true) {
                let pair = splitPair(property)
                if pair.count == 2 { properties[pair[0]] = unescape(pair[1], legacyMappings) }
            }
        }
        return Command(name: name, properties: properties, data: unescape(String(line[line.index(after: rb)...]), legacyMappings), legacy: true)
    }

    /// `Split('=', count: 2, RemoveEmptyEntries)`.
    static func splitPair(_ text: Substring) -> [String] {
        guard let eq = text.firstIndex(of: "=") else { return text.isEmpty ? [] : [String(text)] }
        let key = String(text[..<eq])
        let value = String(text[text.index(after: eq)...])
        return [key, value].filter { !$0.isEmpty }
    }

    /// The runner's unescape tables, applied in their order: (escaped, token).
    static let legacyMappings = [("%3B", ";"), ("%0D", "\r"), ("%0A", "\n"), ("%5D", "]"), ("%25", "%")]
    static let dataMappings = [("%0D", "\r"), ("%0A", "\n"), ("%25", "%")]
    static let propertyMappings = [("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")]

    static func unescape(_ text: String, _ mappings: [(String, String)]) -> String {
        var out = text
        for (escaped, token) in mappings { out = out.replacingOccurrences(of: escaped, with: token) }
        return out
    }

    /// .NET `Char.IsWhiteSpace` (what `TrimStart()` removes).
    static func isWhiteSpace(_ c: Character) -> Bool {
        c.unicodeScalars.allSatisfy { s in
            let v = s.value
            return (0x09...0x0D).contains(v) || v == 0x20 || v == 0x85 || v == 0xA0 || v == 0x1680
                || (0x2000...0x200A).contains(v) || v == 0x2028 || v == 0x2029 || v == 0x202F || v == 0x205F || v == 0x3000
        }
    }

    /// The line as a culture-sensitive search sees it, over-approximated: controls (but tab) and
    /// default-ignorable code points deleted.
    static func fold(_ line: String) -> String {
        if line.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 }) { return line }
        var out = String.UnicodeScalarView()
        for s in line.unicodeScalars {
            let v = s.value
            if (v < 0x20 && v != 0x09) || (0x7F...0x9F).contains(v) || isDefaultIgnorable(v) { continue }
            out.append(s)
        }
        return String(out)
    }

    /// Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt).
    static func isDefaultIgnorable(_ v: UInt32) -> Bool {
        switch v {
        case 0x00AD, 0x034F, 0x061C, 0x115F...0x1160, 0x17B4...0x17B5, 0x180B...0x180F, 0x200B...0x200F,
             0x202A...0x202E, 0x2060...0x206F, 0x3164, 0xFE00...0xFE0F, 0xFEFF, 0xFFA0, 0xFFF0...0xFFF8,
             0x1BCA0...0x1BCA3, 0x1D173...0x1D17A, 0xE0000...0xE0FFF:
            return true
        default:
            return false
        }
    }
}
