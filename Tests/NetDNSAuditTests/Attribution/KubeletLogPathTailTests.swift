import Testing
@testable import NetDNSAudit

/// The tail of a path read from its end is the tail `split` finds, for ASCII and other paths.
@Suite struct KubeletLogPathTailTests {
    @Test func lastComponentsAreTheLastThreeOfTheSplit() {
        let paths = ["", "/", "a", "/a", "a/b", "//a//b//", "/var/log/pods/ns_pod_uid/app/0.log", "pods/ns_pod_uid/app/0.log",
                     "x/y/ns_pod_uid//app/0.log/", "/d\u{E9}j\u{E0}/ns_p_u/c/1.log", "/a/\u{301}b/c/d", "///", "a/b/c"]
        for path in paths {
            let expected = Array(path.split(separator: "/", omittingEmptySubsequences: true).suffix(3)).map(String.init)
            #expect(KubeletLogPath.lastComponents(path).map(String.init) == expected, "\(path)")
        }
    }
}
