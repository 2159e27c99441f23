import NetDNSAudit

/// Renders a check run as JUnit XML (GitLab `artifacts:reports:junit`, Jenkins `junit` and the
/// xUnit plugin), valid against the xUnit plugin's `junit-10.xsd` and read as GitLab's parser
/// reads it (docs/ci-gate.md):
///
/// - one testcase per service (classname `netdns-audit` or `netdns-audit/NAMESPACE`, name the
///   service); a service with violations has a `<failure>`, warnings and exemptions are notes in
///   `<system-out>`;
/// - a testcase `netdns-audit.input` / RULE for findings about the whole input (`no-input`), and
///   `netdns-audit.input` / PATH for a file skipped as binary (`skipped-input`);
/// - an `<error>` testcase `netdns-audit.input` / `unread: ...` for each input or output that could
///   not be read or written, counted in `errors`: an incomplete run never looks passed;
/// - GitLab keys a testcase by `suite_classname_name`, so a name that would repeat a key gets a
///   ` (2)`, ` (3)`... suffix: every case counts;
/// - `<testsuites>` carries only the attributes the XSD allows (no `skipped`);
/// - text from logs is escaped as for a terminal (controls, DEL, C1, bidi and zero-width
///   characters as `\xNN` / `\u{XXXX}`), `[[` as `[\x5b` (GitLab reads `[[ATTACHMENT|path]]`),
///   then as XML.
struct JUnitRenderer {
    var suiteName = "netdns-audit check"

    /// One testcase before escaping.
    struct Case {
        var classname: String
        var name: String
        var failure: (message: String, type: String, body: String)? = nil
        var error: (message: String, body: String)? = nil
        var notes: [String] = []
    }

    func render(_ result: CheckResult) -> String {
        render(CheckRun(result: result, report: AuditReport(AuditSummary())))
    }

    func render(_ run: CheckRun) -> String {
        var cases: [Case] = []
        for problem in run.problems {
            cases.append(Case(
                classname: "netdns-audit.input", name: "unread: " + problem,
                error: ("the check is incomplete: " + problem,
                        "This input or output could not be read or written, so the verdict covers only what was read (exit code 2):\n" + problem)))
        }
        for f in run.result.inputs {
            // The whole input (`no-input`) or one file of it (`skipped-input`: the service is its path).
            var c = Case(classname: "netdns-audit.input", name: f.service.isEmpty ? f.rule.id : f.service)
            if f.severity == .violation {
                c.failure = ("\(f.rule.id): \(f.message)", f.rule.id, Self.text(f))
            } else {
                c.notes.append("warning: " + Self.text(f))
            }
            cases.append(c)
        }
        for s in run.result.services {
            var c = Case(classname: s.namespace.map { "netdns-audit/\($0)" } ?? "netdns-audit", name: s.name)
            c.notes.append("verdict: \(s.verdict?.rawValue ?? "not in the input")")
            if let pattern = s.allowedBy { c.notes.append("allowed by --allow '\(pattern)'") }
            for f in s.exempted { c.notes.append("exempted: " + Self.text(f)) }
            for f in s.warnings { c.notes.append("warning: " + Self.text(f)) }
            let violations = s.violations
            if !violations.isEmpty {
                let rules = Set(violations.map(\.rule)).sorted().map(\.id)
                let message = violations.count == 1
                    ? "\(violations[0].rule.id): \(violations[0].message)"
                    : "\(violations.count) violations: " + rules.joined(separator: ", ")
                c.failure = (message, rules.joined(separator: ","), violations.map(Self.text).joined(separator: "\n"))
            }
            cases.append(c)
        }
        Self.makeKeysUnique(&cases, suite: suiteName)

        let tests = cases.count
        let failures = cases.filter { $0.failure != nil }.count
        let errors = cases.filter { $0.error != nil }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let counts = "tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\""
        out += "<testsuites name=\"\(Self.escape(suiteName))\" \(counts) time=\"0\">\n"
        out += "  <testsuite name=\"\(Self.escape(suiteName))\" \(counts) skipped=\"0\" time=\"0\">\n"
        for c in cases {
            out += "    <testcase classname=\"\(Self.field(c.classname))\" name=\"\(Self.field(c.name))\" time=\"0\">\n"
            if let e = c.error {
                out += "      <error message=\"\(Self.field(e.message))\" type=\"incomplete\">\(Self.lines(e.body))</error>\n"
            }
            if let f = c.failure {
                out += "      <failure message=\"\(Self.field(f.message))\" type=\"\(Self.escape(f.type))\">\(Self.lines(f.body))</failure>\n"
            }
            if !c.notes.isEmpty {
                out += "      <system-out>\(Self.lines(c.notes.joined(separator: "\n")))</system-out>\n"
            }
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    /// GitLab's `TestCase#key` is a hash of `"#{suite_name}_#{classname}_#{name}"`: two cases with
    /// the same string (`a_b`/`c` and `a`/`b_c` too) count once. Suffixes make every key unique.
    static func makeKeysUnique(_ cases: inout [Case], suite: String) {
        var seen: Set<String> = []
        for i in cases.indices {
            var n = 1
            let base = cases[i].name
            while !seen.insert("\(suite)_\(field(cases[i].classname))_\(field(cases[i].name))").inserted {
                n += 1
                cases[i].name = "\(base) (\(n))"
            }
        }
    }

    /// One finding in a line: rule, instance, message, evidence and place.
    static func text(_ f: PolicyFinding) -> String {
        var s = f.rule.id
        if let i = f.instance { s += " [\(i)]" }
        s += ": \(f.message)"
        if !f.evidence.isEmpty { s += ": \(f.evidence)" }
        if let loc = f.location { s += " (\(loc.file)\(loc.line.map { ":\($0)" } ?? ""))" }
        return s
    }

    /// Text from logs for an attribute or one line: shown as for a terminal, `[[` broken, then XML-escaped.
    static func field(_ text: String) -> String {
        // Fast path: plain ASCII with nothing to escape.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "&") && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">")
            && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "'") && $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: "#") && $0 != UInt8(ascii: ":") }) {
            return text
        }
        return escape(TextEscaping.terminalSafe(text).replacingOccurrences(of: "[[", with: "[\\x5b"))
    }

    /// Several lines of text from logs, each escaped as ``field(_:)``, joined by real line breaks.
    static func lines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { field(String($0)) }.joined(separator: "\n")
    }

    /// Escapes text for XML 1.0 content and attribute values: the five special characters,
    /// tab, CR and LF as character references (kept in attributes), and characters XML 1.0
    /// cannot carry (other C0 controls, U+FFFE, U+FFFF) as the visible text `\xNN`.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF {
                    out += "\\x" + String(v, radix: 16).leftPadded(2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
