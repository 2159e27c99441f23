import Foundation
import NetDNSAudit

/// `netdns-audit inspect [--root DIR]... [--format table|json|markdown] PATH...`: what Go binaries
/// and container images will do before anything runs.
enum InspectCommand {
    static func run(_ arguments: [String]) -> ExitCode {
        guard let args = CommandLineArguments.parse(arguments, for: .inspect) else { return .usageOrInputError }
        if let code = args.answerHelpOrVersion() { return code }
        let format = ReportOutput.format(args)
        let inputs = args.positional.map(InspectInput.path) + args.all("root").map(InspectInput.root)
        guard !inputs.isEmpty else {
            TerminalOutput.error("inspect needs a binary, a directory, an image or --root DIR (see netdns-audit inspect --help)")
            return .usageOrInputError
        }
        let report = Inspector().inspect(inputs)
        for error in report.errors { TerminalOutput.error(error) }
        let written: Bool
        switch format {
        case .json, .jsonLine:
            do {
                written = TerminalOutput.write(JSONOutputEscaping.terminalSafe(try report.jsonData()))
            } catch {
                TerminalOutput.error("cannot encode the report: \(error)")
                return .usageOrInputError
            }
        case .markdown:
            written = TerminalOutput.write(InspectMarkdownRenderer().render(report))
        case .table:
            written = TerminalOutput.write(InspectTableRenderer().render(report))
        }
        return report.errors.isEmpty && written ? .success : .usageOrInputError
    }
}

/// Cells shared by the table and markdown renderers.
enum InspectCells {
    static let header = ["PATH", "GO", "CGO", "TAGS", "LINKAGE", "LOADER", "LIBC", "RESOLVER", "FINDINGS"]

    static func row(_ b: InspectReport.Binary) -> [String] {
        let f = b.facts
        var linkage = f.linkage.rawValue
        if f.elfType == .pie { linkage += " pie" }
        if let g = f.glibcRequired { linkage += " (GLIBC_\(g))" }
        return [
            f.path, f.goVersion ?? "-", f.cgoEnabled.map { $0 ? "1" : "0" } ?? "-", f.tags.isEmpty ? "-" : f.tags.joined(separator: ","),
            linkage, f.interpreter ?? "-", f.libc.rawValue, f.resolver.rawValue,
            b.findings.isEmpty ? "-" : b.findings.map(\.rule.rawValue).joined(separator: ","),
        ]
    }

    static func imageLine(_ image: InspectReport.Image) -> String {
        var parts = ["image \(image.image) (\(image.format))"]
        if !image.entrypoint.isEmpty { parts.append("entrypoint \(image.entrypoint.joined(separator: " "))") }
        if let p = image.entrypointPath, image.entrypoint.first != p { parts.append("-> \(p)") }
        let e = image.environment
        var env: [String] = []
        if let os = e.os { env.append(os) }
        if let g = e.glibcVersion { env.append("glibc \(g)") }
        if let m = e.muslVersion { env.append("musl \(m)") } else if e.hasMusl { env.append("musl") }
        if e.glibcVersion == nil && !e.hasMusl { env.append("no libc") }
        env.append(e.caBundle != nil ? "CA bundle" : "no CA bundle")
        env.append(e.hasZoneinfo ? "zoneinfo" : "no zoneinfo")
        parts.append("[\(env.joined(separator: ", "))]")
        return parts.joined(separator: " ")
    }
}

struct InspectTableRenderer {
    func render(_ report: InspectReport) -> String {
        var out = ""
        if !report.binaries.isEmpty {
            out += table(report.binaries)
            out += findings(report.binaries.flatMap(\.findings))
        }
        for image in report.images {
            if !out.isEmpty { out += "\n" }
            out += TextEscaping.terminalSafe(InspectCells.imageLine(image)) + "\n"
            out += image.binaries.isEmpty ? "(no Go binaries found)\n" : table(image.binaries)
            out += findings(image.findings)
        }
        if report.binaries.isEmpty && report.images.isEmpty { out += "(no Go binaries found)\n" }
        return out
    }

    func table(_ binaries: [InspectReport.Binary]) -> String {
        let rows = [InspectCells.header] + binaries.map { InspectCells.row($0).map(TextEscaping.terminalSafe) }
        let widths = rows[0].indices.map { c in rows.map { TextEscaping.visibleWidth($0[c]) }.max() ?? 0 }
        var out = ""
        for row in rows {
            var line = ""
            for (c, cell) in row.enumerated() {
                line += (c == 0 ? "" : "  ") + cell + String(repeating: " ", count: max(0, widths[c] - TextEscaping.visibleWidth(cell)))
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    func findings(_ findings: [InspectFinding]) -> String {
        var out = ""
        for f in findings {
            out += TextEscaping.terminalSafe("\(f.severity.rawValue): \(f.rule.rawValue): \(f.binary): \(f.message)") + "\n"
            out += TextEscaping.terminalSafe("  advice: \(f.advice)") + "\n"
        }
        return out
    }
}

struct InspectMarkdownRenderer {
    func render(_ report: InspectReport) -> String {
        var out = ""
        if !report.binaries.isEmpty { out += table(report.binaries) + findings(report.binaries.flatMap(\.findings)) }
        for image in report.images {
            if !out.isEmpty { out += "\n" }
            out += "### " + MarkdownRenderer.escape(InspectCells.imageLine(image)) + "\n\n"
            out += image.binaries.isEmpty ? "_No Go binaries found._\n" : table(image.binaries)
            out += findings(image.findings)
        }
        if report.binaries.isEmpty && report.images.isEmpty { out += "_No Go binaries found._\n" }
        return out
    }

    func table(_ binaries: [InspectReport.Binary]) -> String {
        var out = "| " + InspectCells.header.map { $0.capitalized }.joined(separator: " | ") + " |\n"
        out += "|" + String(repeating: " --- |", count: InspectCells.header.count) + "\n"
        for b in binaries { out += "| " + InspectCells.row(b).map(MarkdownRenderer.escape).joined(separator: " | ") + " |\n" }
        return out
    }

    func findings(_ findings: [InspectFinding]) -> String {
        guard !findings.isEmpty else { return "" }
        var out = "\n"
        for f in findings {
            out += "- **\(f.severity.rawValue)** `\(f.rule.rawValue)` \(MarkdownRenderer.escape(f.binary)): \(MarkdownRenderer.escape(f.message))  \n"
            out += "  advice: \(MarkdownRenderer.escape(f.advice))\n"
        }
        return out
    }
}
