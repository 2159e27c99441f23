import Foundation
import Testing
@testable import NetDNSAudit

/// Malformed globs are refused (they never matched); JSON numbers in a policy file say what is
/// wrong with them instead of "not valid JSON".
@Suite struct PolicyInputTests {
    @Test func malformedGlobsAreRefused() {
        let bad: [(String, String)] = [
            ("[a-", "'[a-': the '[' at character 1 has no ']' to close its set (a ']' right after '[' or '[!' is a member; write '\\[' for a bracket)"),
            ("[]", "'[]': the '[' at character 1 has no ']' to close its set (a ']' right after '[' or '[!' is a member; write '\\[' for a bracket)"),
            ("api-[!]", "'api-[!]': the '[' at character 5 has no ']' to close its set (a ']' right after '[' or '[!' is a member; write '\\[' for a bracket)"),
            ("api-\\", "'api-\\' ends with a lone '\\' (write '\\\\' for a backslash)"),
            ("[z-a]", "'[z-a]': the range z-a is empty (its ends are reversed)"),
            ("[a\\", "'[a\\': the '[' at character 1 has no ']' to close its set (a ']' right after '[' or '[!' is a member; write '\\[' for a bracket)"),
        ]
        for (pattern, problem) in bad {
            #expect(GlobPattern.problem(in: pattern) == problem, "\(pattern)")
        }
        for good in ["*", "api-?", "[]a]*", "[!a-c]x", "\\[x", "ns/*-[0-9]", "[a-]", "[\\]]"] {
            #expect(GlobPattern.problem(in: good) == nil, "\(good)")
        }
        // Well-formed patterns still match as before.
        #expect(GlobPattern("[]a]*").matches("]x") && GlobPattern("[]a]*").matches("a"))
        #expect(GlobPattern("\\[x").matches("[x"))
    }

    @Test func policyFileProblemsSayWhatIsWrong() {
        let cases: [(String, String)] = [
            (#"{"maxFailures": 1.5}"#, "maxFailures: 1.5 is not a whole number"),
            (#"{"maxFailures": 1e400}"#, "maxFailures: 1e400 has an exponent: write whole numbers in plain digits (such as 42)"),
            (#"{"maxFailures": 99999999999999999999}"#, "maxFailures: 99999999999999999999 is out of range (beyond -9223372036854775808...9223372036854775807)"),
            (#"{"maxFailures": 01}"#, "maxFailures: a number with a leading zero"),
            (#"{"maxFailures": 5,}"#, "expected a key in quotes, found '}' (after byte 18)"),
            (#"{"allow": ["ok", "[a-"]}"#, "allow: allow[1]: '[a-': the '[' at character 1 has no ']' to close its set (a ']' right after '[' or '[!' is a member; write '\\[' for a bracket)"),
        ]
        for (text, expected) in cases {
            do {
                _ = try CheckPolicy.decode(Data(text.utf8))
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.description == expected, "\(text)")
            }
        }
        #expect((try? CheckPolicy.decode(Data(#"{"maxFailures": 10, "allow": ["api-*"]}"#.utf8)))?.maxFailures == 10)
    }
}
