import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import NetDNSAudit
@testable import netdns_audit

/// Logs written by an attacker: names and messages with terminal escapes (CSI `ESC[2J`, OSC
/// title sequences, the one-byte C1 CSI U+009B and OSC U+009D), CR, BEL, invalid UTF-8 and the
/// metacharacters of every output format. No renderer may let them act on a terminal, a CI log
/// or a parser, and every structured format must carry them faithfully.
@Suite struct HostileTextTests {
    /// A pod name as kubectl prints it in its prefix: anything but `]` and `/` (which end the
    /// prefix's pod field, so an OSC `ESC ]` cannot be in it; its one-byte form U+009D can).
    static let hostilePod = "evil\u{1B}[2J\u{9D}0;pwned\u{7}\r|`\"\\%0A::error::<failure>-7d9f8b6c5-x2k4p"
    /// The service derived from it.
    static let hostileService = "evil\u{1B}[2J\u{9D}0;pwned\u{7}\r|`\"\\%0A::error::<failure>"
    /// A failing name: one token, no C0 control, quote or backslash (the scanner refuses those), but C1 and metacharacters.
    static let hostileName = "x%0A::error::y|z`w</failure>\u{9B}2J&amp;"
    /// Message text before the error: every hostile byte the scanner does not stop at.
    static let hostileText = "\u{1B}]0;pwned\u{7}\u{1B}[2J\r%0A::error::boom</failure>|`\"\\ \u{202E}gnp.exe"

    /// Two instances of the hostile service, one with an invalid UTF-8 byte in its pod name.
    static var hostileLog: [UInt8] {
        var bytes: [UInt8] = []
        func line(_ text: String) { bytes += Array(text.utf8) + [0x0A] }
        line("[pod/\(hostilePod)/c] \(hostileText) lookup \(hostileName): Name or service not known")
        line("[pod/\(hostilePod)/c] go package net: hostLookupOrder(\(hostileName)) = cgo")
        bytes += Array("[pod/bad".utf8) + [0xFF, 0xC3] + Array("name-5d8f7c6b9-qq2xz/c] lookup a.example on 10.0.0.1:53: no such host\n".utf8)
        return bytes
    }

    static var report: AuditReport {
        var source = MemorySource(bytes: hostileLog)
        let (summary, error) = Analyzer().analyze(&source, source: SourceContext(path: "logs/pods\u{1B}[2J.log"), mode: .perLine)
        precondition(error == nil)
        return AuditReport(summary)
    }

    static var checkResult: CheckResult { CheckPolicy(maxFailures: 0).evaluate(report) }

    /// Characters that act on a terminal: C0 except LF, DEL, C1, U+FFFD and bidi/zero-width format characters.
    static func terminalActive(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.filter { s in
            let v = s.value
            return (v < 0x20 && v != 0x0A) || v == 0x7F || (0x80...0x9F).contains(v) || v == 0xFFFD
                || TextEscaping.isInvisibleFormat(v)
        }
    }

    @Test func hostileNamesReachTheReport() {
        let report = Self.report
        let names = Set(report.services.map(\.name))
        #expect(names.contains(Self.hostileService))
        #expect(names.contains("bad\u{FFFD}\u{FFFD}name"))
        let evil = report.services.first { $0.name == Self.hostileService }
        #expect(evil?.verdict == .cgo)
        #expect(evil?.failures.topNames.map(\.name) == [Self.hostileName])
        #expect(evil?.instances.first?.cgoEvidence?.text.contains(Self.hostileText) == true)
    }

    @Test func terminalSafeShowsEveryControl() {
        #expect(TextEscaping.terminalSafe("a\u{1B}[2Jb") == "a\\x1b[2Jb")
        #expect(TextEscaping.terminalSafe("\u{1B}]0;pwned\u{7}") == "\\x1b]0;pwned\\x07")
        #expect(TextEscaping.terminalSafe("\r\n\t\u{0}\u{7F}") == "\\x0d\\x0a\\x09\\x00\\x7f")
        #expect(TextEscaping.terminalSafe("\u{9B}2J\u{9D}") == "\\x9b2J\\x9d")
        #expect(TextEscaping.terminalSafe("bad\u{FFFD}") == "bad\\x??")
        #expect(TextEscaping.terminalSafe("a\u{202E}b\u{200B}c\u{2028}\u{FEFF}") == "a\\u{202e}b\\u{200b}c\\u{2028}\\u{feff}")
        #expect(TextEscaping.terminalSafe("plain ascii / ünïcødé ✓ 名前") == "plain ascii / ünïcødé ✓ 名前")
    }

    // MARK: Human formats

    @Test func tableShowsNoTerminalControls() {
        let text = TableRenderer(colour: false).render(Self.report)
        #expect(Self.terminalActive(text).isEmpty)
        #expect(text.contains("evil\\x1b[2J\\x9d0;pwned\\x07\\x0d|`\"\\%0A::error::<failure>"))
        #expect(text.contains("bad\\x??\\x??name"))
        // Header, two services, blank line, footer and two legend lines, then the cgo service's
        // block (blank, name, why, three change lines) and the FAULTS legend after a blank line:
        // nothing hidden or added.
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 16)
    }

    @Test func colouredTableHasOnlyItsOwnEscapes() {
        let text = TableRenderer(colour: true).render(Self.report)
        let withoutColours = text.replacingOccurrences(of: #"\u{1B}\[[0-9]+m"#, with: "", options: .regularExpression)
        #expect(Self.terminalActive(withoutColours).isEmpty)
    }

    @Test func checkHumanOutputShowsNoTerminalControls() {
        let result = Self.checkResult
        let text = CheckHumanRenderer().render(result)
        #expect(Self.terminalActive(text).isEmpty)
        let findings = result.services.flatMap(\.findings).count
        #expect(findings == 3)
        #expect(text.split(separator: "\n").count == findings + 1)
        #expect(text.contains("violation: evil\\x1b[2J\\x9d0;pwned\\x07\\x0d"))
        #expect(text.contains("x%0A::error::y|z`w</failure>\\x9b2J&amp;"))
        #expect(text.contains("\\u{202e}gnp.exe"))
        #expect(text.contains(" at logs/pods\\x1b[2J.log:1"))
    }

    @Test func markdownKeepsOneRowPerServiceAndNoControls() {
        let text = MarkdownRenderer().render(Self.report)
        // U+FFFD (invalid UTF-8 in the log) is a visible glyph in a browser: kept in Markdown.
        #expect(Self.terminalActive(text).allSatisfy { $0 == "\u{FFFD}" })
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| ") }
        #expect(rows.count == 4)
        for row in rows {
            // 16 cell borders: a `|` from a name is escaped as `\|`.
            var borders = 0
            var previous: Character = " "
            for c in row {
                if c == "|" && previous != "\\" { borders += 1 }
                previous = previous == "\\" && c == "\\" ? " " : c
            }
            #expect(borders == 16, "\(row)")
        }
        #expect(text.contains("``evil\\x1b[2J\\x9d0;pwned\\x07\\x0d\\x7c`\"\\%0A::error::<failure>``"), "\(text)")
    }

    @Test func stepSummaryShowsNoControlsAndNoRawHTML() {
        let result = Self.checkResult
        let text = GitHubStepSummary().render(CheckRun(result: result, report: Self.report))
        #expect(Self.terminalActive(text).isEmpty)
        // Log text is in code spans only: outside them, no HTML but the summary's own details element.
        let outside = MarkdownSyntax.outsideCodeSpans(text)
        #expect(!outside.contains("</failure>"))
        #expect(outside.replacingOccurrences(of: "<details><summary>Analysis</summary>", with: "").replacingOccurrences(of: "</details>", with: "").allSatisfy { $0 != "<" })
        #expect(text.contains("</failure>"))
        #expect(!text.contains("\u{202E}"))
    }

    // MARK: Structured formats

    @Test func jsonRoundTripsExactly() throws {
        let report = Self.report
        let raw = try report.jsonData()
        #expect(!raw.contains(0x1B) && !raw.contains(0x07) && !raw.contains(0x0D))
        // As `analyze --format json` prints it: DEL, C1 and bidi characters spelled `\uXXXX`.
        #expect(Self.terminalActive(String(decoding: raw, as: UTF8.self)).contains("\u{9D}"))
        let data = JSONOutputEscaping.terminalSafe(raw)
        // U+FFFD (invalid UTF-8 in the log) is text, not a control: JSON carries it as is.
        #expect(Self.terminalActive(String(decoding: data, as: UTF8.self)).allSatisfy { $0 == "\u{FFFD}" })
        #expect(String(decoding: data, as: UTF8.self).contains("\\u009d0;pwned"))
        #expect(String(decoding: data, as: UTF8.self).contains("\\u202egnp.exe"))
        let decoded = try AuditReport.decode(data)
        #expect(decoded.services.map(\.name) == report.services.map(\.name))
        #expect(decoded.services.flatMap(\.instances).map(\.name) == report.services.flatMap(\.instances).map(\.name))
        #expect(decoded.services.flatMap(\.instances).map(\.cgoEvidence) == report.services.flatMap(\.instances).map(\.cgoEvidence))
        #expect(decoded.services.map(\.failures.topNames) == report.services.map(\.failures.topNames))
        #expect(try JSONSerialization.jsonObject(with: data) is [String: Any])
    }

    #if canImport(FoundationXML) || canImport(Darwin)
    /// XML 1.0 cannot carry C0 controls other than tab, LF and CR: those become `\xNN`; the
    /// rest of the text comes back exactly.
    static func xmlVisible(_ text: String) -> String {
        var out = ""
        for s in text.unicodeScalars {
            if s.value < 0x20 && s != "\t" && s != "\n" && s != "\r" {
                out += "\\x" + String(s.value, radix: 16).leftPadded(2)
            } else {
                out.unicodeScalars.append(s)
            }
        }
        return out
    }

    @Test func junitParsesAndCarriesTheText() throws {
        let result = Self.checkResult
        let xml = JUnitRenderer().render(result)
        for s in xml.unicodeScalars {
            let v = s.value
            #expect(v >= 0x20 || v == 0x09 || v == 0x0A || v == 0x0D, "character invalid in XML 1.0: \(v)")
            #expect(v != 0xFFFE && v != 0xFFFF)
        }
        let document = try XMLDocument(xmlString: xml, options: [])
        let testcases = try #require(document.rootElement()?.elements(forName: "testsuite").first?.elements(forName: "testcase"))
        #expect(testcases.count == 2)
        // JUnit shows text from logs as a terminal does: controls, DEL, C1 and bidi characters escaped.
        let evil = try #require(testcases.first { $0.attribute(forName: "name")?.stringValue == TextEscaping.terminalSafe(Self.hostileService) })
        let failure = try #require(evil.elements(forName: "failure").first)
        let expected = result.services.first { $0.name == Self.hostileService }!.violations.map { TextEscaping.terminalSafe(JUnitRenderer.text($0)) }.joined(separator: "\n")
        #expect(failure.stringValue == expected)
        #expect(failure.stringValue?.contains(TextEscaping.terminalSafe(Self.hostileName)) == true)
        let bad = testcases.first { $0.attribute(forName: "name")?.stringValue == "bad\\x??\\x??name" }
        #expect(bad != nil)
    }
    #endif

    @Test func sarifParsesAndCarriesTheText() throws {
        let result = Self.checkResult
        let data = try SARIFRenderer().render(result)
        #expect(!data.contains(0x1B) && !data.contains(0x07))
        #expect(Self.terminalActive(String(decoding: data, as: UTF8.self)).allSatisfy { $0 == "\u{FFFD}" })
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 3)
        let texts = results.compactMap { ($0["message"] as? [String: Any])?["text"] as? String }
        // SARIF plain text: brackets escaped (no embedded links), everything else exact.
        #expect(texts.contains { $0.hasPrefix(SARIFRenderer.plainText(Self.hostileService + " (instance \(Self.hostilePod))")) && $0.contains(SARIFRenderer.plainText(Self.hostileText)) })
        let uris = results.compactMap { (($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]).flatMap { ($0["artifactLocation"] as? [String: Any])?["uri"] as? String } }
        #expect(uris.contains("logs/pods%1B%5B2J.log"))
    }

    @Test func githubAnnotationsAreOneLineEachWithEscapedProperties() throws {
        let result = Self.checkResult
        let text = GitHubAnnotations().render(CheckRun(result: result, report: Self.report))
        #expect(Self.terminalActive(text).isEmpty)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines.count == result.services.flatMap(\.findings).count + 1)
        for line in lines {
            #expect(line.hasPrefix("::error ") || line.hasPrefix("::warning ") || line.hasPrefix("::notice "))
            // The first `::` after the command ends the properties: none of them holds a raw `:` or `,` of its own.
            let afterCommand = line.drop(while: { $0 == ":" }).drop(while: { $0 != " " }).dropFirst()
            let separator = try #require(afterCommand.range(of: "::"))
            let properties = afterCommand[..<separator.lowerBound].split(separator: ",")
            for property in properties {
                let parts = property.split(separator: "=", maxSplits: 1)
                #expect(parts.count == 2 && ["file", "line", "title"].contains(String(parts[0])), "\(property)")
                #expect(!parts[1].contains(":") && !parts[1].contains("\r"))
            }
            let message = afterCommand[separator.upperBound...]
            #expect(!message.contains("\r"))
        }
        let first = lines.first { $0.contains("title=netdns-audit resolver-path%3A evil") }
        #expect(first?.contains("title=netdns-audit resolver-path%3A evil\\x1b[2J\\x9d0;pwned\\x07\\x0d|`\"\\%250A%3A%3Aerror%3A%3A<failure>::evil") == true)
        // The real path holds ESC: no `file=` (an annotation cannot point at it), the message names it escaped.
        #expect(first?.contains("file=") == false)
        #expect(first?.contains("%0Aat logs/pods\\x1b[2J.log:1") == true)
        #expect(first?.contains("::evil\\x1b[2J") == true)
        #expect(first?.contains("%0Aevidence: \\x1b]0;pwned\\x07\\x1b[2J\\x0d%250A::error::boom") == true)
    }
}
