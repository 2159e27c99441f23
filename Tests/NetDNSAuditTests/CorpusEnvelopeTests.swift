import Foundation
import Testing
@testable import NetDNSAudit

/// Envelope behaviour on the corpus trees beyond the ground-truth counts (CorpusTruthTests).
@Suite struct CorpusEnvelopeTests {
    @Test func criPartialPiecesAreJoined() throws {
        // search-indexer-1's 16 KiB pieces: three P pieces across the tree, each joined with its F.
        let path = CorpusTruth.fixtures.appendingPathComponent("corpus/cri").path
        let result = Analyzer().analyze([.path(path)])
        #expect(result.summary.totals.continuationLines == 3)
        #expect(result.summary.totals.overlongLines == 0)
    }

    @Test func dockerWithoutConfigIsNamedByShortID() {
        // No config.v2.json next to the file: the short container ID of the file or directory name.
        let id = "df0f5f90b9929fed30d48b8129350925f84b188b1f3cb87a2aa91106dc1c329b"
        #expect(DockerContainerConfig.identity(forLogPath: "/nonexistent/gz/\(id)-json.log.gz")
            == InstanceIdentity(service: "df0f5f90b992", name: "df0f5f90b992"))
        #expect(DockerContainerConfig.identity(forLogPath: "/nonexistent/\(id)/rotated.log")
            == InstanceIdentity(service: "df0f5f90b992", name: "df0f5f90b992"))
    }

    @Test func dockerConfigGivesNameAndComposeService() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-envelope-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = #"{"ID":"abc","Name":"/shop-api-2","Config":{"Labels":{"com.docker.compose.service":"api"}}}"#
        try Data(config.utf8).write(to: dir.appendingPathComponent("config.v2.json"))
        #expect(DockerContainerConfig.identity(forLogPath: dir.appendingPathComponent("abc-json.log").path)
            == InstanceIdentity(service: "api", name: "shop-api-2"))
    }

    @Test func dockerContainersDirectoryReadsOnlyTheLogs() {
        let path = CorpusTruth.fixtures.appendingPathComponent("corpus/docker").path
        let result = Analyzer().analyze([.path(path)])
        #expect(result.summary.totals.files == 6)
        #expect(Set(result.summary.instances.keys.map(\.name))
            == ["invoice-pdf", "legacy-sync", "legacy-sync-eu", "mailer", "reports", "webhook-relay"])
    }
}
