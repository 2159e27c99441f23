import Foundation

/// The rules `netdns-audit check` enforces. Also the layout of the `--policy` JSON file:
///
/// ```json
/// {
///   "allow": ["legacy-*"],
///   "undetermined": "warn",
///   "requireTrace": true,
///   "maxFailures": 20,
///   "failOn": ["servfail", "refused"],
///   "expectServices": ["checkout", "cart"],
///   "onSkipped": "warn",
///   "allowEmptyInput": false,
///   "binaries": ["dist/api"],
///   "images": ["build/api-image.tar"],
///   "failOnFault": ["exec-not-found", "exec-format", "shared-library-missing", "glibc-version"]
/// }
/// ```
///
/// Every key is optional; unknown keys are refused so that a typo cannot silently weaken the gate.
public struct CheckPolicy: Sendable, Equatable, Codable {
    /// Service name patterns exempt from the resolver rules (still reported, as allowed).
    public var allow: [String] = []
    /// What an undetermined instance means.
    public var undetermined: UndeterminedHandling = .warn
    /// Whether an instance without any trace line violates.
    public var requireTrace: Bool = false
    /// The most DNS failures a service may show (nil: no limit).
    public var maxFailures: Int? = nil
    /// Failure classes of which a single occurrence violates.
    public var failOn: [FailureClass] = []
    /// Services that must appear in the input.
    public var expectServices: [String] = []
    /// What an input skipped as binary means.
    public var onSkipped: SkippedHandling = .warn
    /// Whether an input that shows no service at all passes (by default it violates `no-input`).
    public var allowEmptyInput: Bool = false
    /// Go binaries (or directories of them) to inspect, as `--binary` gives them.
    public var binaries: [String] = []
    /// Container images to inspect, as `--image` gives them.
    public var images: [String] = []
    /// Fault kinds of which one occurrence in an instance violates.
    public var failOnFault: [FaultKind] = CheckPolicy.defaultFaultKinds

    /// The kinds that fail by default: the program never ran, so nothing it printed proves its resolver.
    public static let defaultFaultKinds: [FaultKind] = FaultKind.allCases.filter(\.preventsStart)

    public init(
        allow: [String] = [], undetermined: UndeterminedHandling = .warn, requireTrace: Bool = false,
        maxFailures: Int? = nil, failOn: [FailureClass] = [], expectServices: [String] = [],
        onSkipped: SkippedHandling = .warn, allowEmptyInput: Bool = false
    ) {
        self.allow = allow
        self.undetermined = undetermined
        self.requireTrace = requireTrace
        self.maxFailures = maxFailures
        self.failOn = failOn
        self.expectServices = expectServices
        self.onSkipped = onSkipped
        self.allowEmptyInput = allowEmptyInput
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case allow, undetermined, requireTrace, maxFailures, failOn, expectServices, onSkipped, allowEmptyInput, binaries, images, failOnFault
    }

    public init(from decoder: Decoder) throws {
        let keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = keys.sorted().first(where: { !known.contains($0) }) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: [], debugDescription: "unknown key '\(unknown)' (known: \(CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")))"))
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        allow = try c.decodeIfPresent([String].self, forKey: .allow) ?? []
        for (i, pattern) in allow.enumerated() {
            if pattern.isEmpty { throw DecodingError.dataCorruptedError(forKey: .allow, in: c, debugDescription: "allow[\(i)] is empty") }
            if let problem = GlobPattern.problem(in: pattern) {
                throw DecodingError.dataCorruptedError(forKey: .allow, in: c, debugDescription: "allow[\(i)]: \(problem)")
            }
        }
        undetermined = try c.decodeIfPresent(UndeterminedHandling.self, forKey: .undetermined) ?? .warn
        requireTrace = try c.decodeIfPresent(Bool.self, forKey: .requireTrace) ?? false
        maxFailures = try c.decodeIfPresent(Int.self, forKey: .maxFailures)
        if let n = maxFailures, n < 0 {
            throw DecodingError.dataCorruptedError(forKey: .maxFailures, in: c, debugDescription: "maxFailures must be 0 or more")
        }
        failOn = try c.decodeIfPresent([FailureClass].self, forKey: .failOn) ?? []
        expectServices = try c.decodeIfPresent([String].self, forKey: .expectServices) ?? []
        onSkipped = try c.decodeIfPresent(SkippedHandling.self, forKey: .onSkipped) ?? .warn
        allowEmptyInput = try c.decodeIfPresent(Bool.self, forKey: .allowEmptyInput) ?? false
        binaries = try c.decodeIfPresent([String].self, forKey: .binaries) ?? []
        images = try c.decodeIfPresent([String].self, forKey: .images) ?? []
        failOnFault = try c.decodeIfPresent([FaultKind].self, forKey: .failOnFault) ?? Self.defaultFaultKinds
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Reads a policy file's contents.
    public static func decode(_ data: Data) throws(PolicyFileError) -> CheckPolicy {
        // What is wrong, where Foundation would say only "not valid JSON".
        if let problem = JSONReader.diagnose(Array(data), integerKeys: [CodingKeys.maxFailures.stringValue]) {
            throw PolicyFileError(problem.description)
        }
        do {
            return try JSONDecoder().decode(CheckPolicy.self, from: data)
        } catch let error as DecodingError {
            throw PolicyFileError(Self.describe(error))
        } catch {
            throw PolicyFileError("not a JSON object: \(error.localizedDescription)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "" : "\(p): "
        }
        switch error {
        case .dataCorrupted(let c): return path(c) + c.debugDescription
        case .keyNotFound(let k, let c): return path(c) + "missing key '\(k.stringValue)'"
        case .typeMismatch(let t, let c): return path(c) + "expected \(t)"
        case .valueNotFound(let t, let c): return path(c) + "expected \(t), found null"
        @unknown default: return "\(error)"
        }
    }
}

/// Why a policy file could not be used.
public struct PolicyFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
