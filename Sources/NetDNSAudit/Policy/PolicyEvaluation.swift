extension CheckPolicy {
    /// Checks a report against this policy. Resolver rules are judged per instance, DNS health
    /// gates per service, expected services against the report's service names.
    public func evaluate(_ report: AuditReport) -> CheckResult {
        var outcomes = report.services.map(evaluate)
        var seen: Set<String> = []
        for name in expectServices {
            guard !name.isEmpty, seen.insert(name).inserted else { continue }
            let present = report.services.contains { $0.name == name || qualified($0) == name }
            guard !present else { continue }
            let finding = PolicyFinding(
                rule: .expectedService, severity: .violation, service: name, namespace: nil, instance: nil,
                message: "expected service never appears in the input",
                evidence: "no line of the input is attributed to '\(name)'", location: nil)
            outcomes.append(ServiceOutcome(
                name: name, namespace: nil, verdict: nil, status: .missing, findings: [finding], exempted: [], allowedBy: nil))
        }
        var inputs: [PolicyFinding] = []
        if report.services.isEmpty && !allowEmptyInput {
            let t = report.totals
            inputs.append(PolicyFinding(
                rule: .noInput, severity: .violation, service: "", namespace: nil, instance: nil,
                message: "the input shows no service",
                evidence: "\(t.files) input(s), \(t.lines) line(s) read, none attributed to a service",
                location: nil))
        }
        inputs += report.totals.binaryFilesSkipped.map { path in
            PolicyFinding(
                rule: .skippedInput, severity: onSkipped == .fail ? .violation : .warning, service: path, namespace: nil,
                instance: nil, message: "skipped as binary (not a log): nothing in it was checked", evidence: "",
                location: FindingLocation(file: path))
        }
        return CheckResult(services: outcomes, inputs: inputs)
    }

    /// The first `allow` pattern matching the service's name or `namespace/name`.
    public func allowPattern(for service: ServiceReport) -> String? {
        allow.first { pattern in
            let glob = GlobPattern(pattern)
            return glob.matches(service.name) || (service.namespace != nil && glob.matches(qualified(service)))
        }
    }

    private func qualified(_ s: ServiceReport) -> String { s.namespace.map { "\($0)/\(s.name)" } ?? s.name }

    private func evaluate(_ service: ServiceReport) -> ServiceOutcome {
        var findings: [PolicyFinding] = []
        func add(_ rule: PolicyRule, _ severity: FindingSeverity, instance: String?, _ message: String, _ evidence: String, _ location: FindingLocation?) {
            findings.append(PolicyFinding(
                rule: rule, severity: severity, service: service.name, namespace: service.namespace, instance: instance,
                message: message, evidence: evidence, location: location))
        }
        for instance in service.instances {
            let words = instance.evidence.joined(separator: "; ")
            let firstFile = instance.files.first.map { FindingLocation(file: $0) }
            switch instance.verdict {
            case .cgo, .mixed:
                let message = instance.verdict == .cgo
                    ? "resolves through cgo (libc getaddrinfo), verdict cgo"
                    : "uses both the cgo and the pure-Go resolver, verdict mixed"
                if let sample = instance.cgoEvidence {
                    add(.resolverPath, .violation, instance: instance.name, message, sample.text, FindingLocation(file: sample.file, line: sample.line))
                } else {
                    add(.resolverPath, .violation, instance: instance.name, message, words, firstFile)
                }
            case .undetermined:
                switch undetermined {
                case .fail: add(.undetermined, .violation, instance: instance.name, "resolver path not shown, verdict undetermined", words, firstFile)
                case .warn: add(.undetermined, .warning, instance: instance.name, "resolver path not shown, verdict undetermined", words, firstFile)
                case .pass: break
                }
            case .pureGo:
                break
            }
            let faults = instance.counters.faultTally
            for kind in Set(failOnFault).sorted() where faults.byKind[kind] > 0 {
                let n = faults.byKind[kind]
                var message = "\(kind.rawValue) (\(kind.phrase)): \(n) line\(n == 1 ? "" : "s")"
                if kind == .glibcVersion, let v = faults.highestGlibc { message += ", needs \(v)" }
                if kind.preventsStart { message += "; the program did not run, so nothing it printed proves its resolver" }
                if let first = faults.first[kind] {
                    add(.fault, .violation, instance: instance.name, message, first.text, FindingLocation(file: first.file, line: first.line))
                } else {
                    add(.fault, .violation, instance: instance.name, message, words, firstFile)
                }
            }
            if requireTrace && instance.counters.traceLines == 0 {
                add(.requireTrace, .violation, instance: instance.name, "no GODEBUG=netdns trace line",
                    "no 'go package net:' line among \(instance.counters.lines) line(s): run with GODEBUG=netdns=go+2 to prove the path", firstFile)
            }
        }
        let failures = service.failures
        if let limit = maxFailures, failures.total > limit {
            add(.maxFailures, .violation, instance: nil, "\(failures.total) DNS failures, more than the allowed \(limit)",
                failureEvidence(service, classes: failures.byClass.sortedKeys), failureLocation(service, classes: Set(FailureClass.allCases)))
        }
        for failureClass in Set(failOn).sorted() where failures.byClass[failureClass] > 0 {
            let n = failures.byClass[failureClass]
            add(.failOn, .violation, instance: nil, "\(n) \(failureClass.rawValue) failure\(n == 1 ? "" : "s")",
                failureEvidence(service, classes: [failureClass]), failureLocation(service, classes: [failureClass]))
        }
        findings.sort { ($0.rule, $0.instance ?? "") < ($1.rule, $1.instance ?? "") }

        let allowedBy = allowPattern(for: service)
        var exempted: [PolicyFinding] = []
        if allowedBy != nil {
            exempted = findings.filter { $0.rule.exemptable }
            findings.removeAll { $0.rule.exemptable }
        }
        let status: ServiceStatus
        if findings.contains(where: { $0.severity == .violation }) {
            status = .failed
        } else if allowedBy != nil {
            status = .allowed
        } else if !findings.isEmpty {
            status = .warned
        } else {
            status = .passed
        }
        return ServiceOutcome(
            name: service.name, namespace: service.namespace, verdict: service.verdict, status: status,
            findings: findings, exempted: exempted, allowedBy: allowedBy)
    }

    /// Failures per instance of the given classes, and the most frequent failing names.
    private func failureEvidence(_ service: ServiceReport, classes: [FailureClass]) -> String {
        var parts: [String] = []
        let byClass = classes.compactMap { c -> String? in
            let n = service.failures.byClass[c]
            return n > 0 ? "\(c.rawValue) \(n)" : nil
        }
        if !byClass.isEmpty { parts.append(byClass.joined(separator: ", ")) }
        let perInstance = service.instances.compactMap { i -> String? in
            let n = classes.map { i.failures.byClass[$0] }.reduce(0, +)
            return n > 0 ? "\(i.name): \(n)" : nil
        }
        if !perInstance.isEmpty { parts.append("instances: " + perInstance.joined(separator: ", ")) }
        let names = service.failures.topNames.prefix(3).map { "\($0.name) (\($0.count))" }
        if !names.isEmpty { parts.append("top failing names: " + names.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }

    /// The first file of the first instance with failures of the given classes.
    private func failureLocation(_ service: ServiceReport, classes: Set<FailureClass>) -> FindingLocation? {
        let instance = service.instances.first { i in classes.contains { i.failures.byClass[$0] > 0 } }
        return instance?.files.first.map { FindingLocation(file: $0) }
    }
}
