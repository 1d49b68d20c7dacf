import AMQTopCore
import Foundation
import Testing

@testable import AMQTopActions

/// The audit log on real files: one JSON line per stop, private, never a secret, bad lines
/// reported rather than dropped.
@Suite struct AuditLogTests {
    static let password = "s3cret-Audit-Pw"

    @Test func entriesRoundTripOneLineEachInAPrivateFileWithoutSecrets() throws {
        let directory = try StopExecutorTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The directory does not exist yet: the log creates it, private to the user.
        let log = AuditLog(path: directory + "/state/amqtop/audit.log")
        let viaJolokia = BrokerConfig(
            name: "b1", jolokia: "http://b1:8161/api/jolokia", username: "admin", password: .environment("AMQTOP_AUDIT_TEST_PASSWORD"))
        let viaCommand = BrokerConfig(
            name: "b2", stop: .command(["/usr/local/bin/stop-broker", "--password", Self.password]))
        let environment = ["SSH_CLIENT": "10.0.0.7 52214 22", "USER": "ops"]
        try log.append(.stop(group: "orders", broker: viaJolokia, outcome: .sent("Jolokia exec stop answered status 200"),
                             atMillis: 1_700_000_000_000, environment: environment))
        try log.append(.stop(group: "orders", broker: viaCommand, outcome: .failed("stop-broker: exit status 1"),
                             atMillis: 1_700_000_001_000, environment: [:]))

        let (entries, bad) = try log.read()
        #expect(bad.isEmpty)
        #expect(entries.map(\.broker) == ["b1", "b2"])
        #expect(entries.map(\.result) == ["sent", "failed"])
        #expect(entries[0].sshClient == "10.0.0.7 52214 22" && entries[1].sshClient == nil)
        #expect(entries[1].method == "command (stop-broker)", "the program's name only, never its arguments")

        let text = try String(contentsOfFile: log.path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 2)
        #expect(!text.contains(Self.password), "a password reached the audit log")
        var info = stat()
        #expect(stat(log.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(stat(directory + "/state/amqtop", &info) == 0 && info.st_mode & 0o777 == 0o700)
    }

    @Test func aDamagedLineIsReportedByNumberAndTheRestStillRead() throws {
        let directory = try StopExecutorTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = AuditLog(path: directory + "/audit.log")
        let broker = BrokerConfig(name: "b1")
        try log.append(.stop(group: "g", broker: broker, outcome: .sent("ok"), atMillis: 1, environment: [:]))
        let handle = try #require(FileHandle(forWritingAtPath: log.path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"atMillis\": 2, \"user\": \"tru\n".utf8))
        try handle.close()
        try log.append(.stop(group: "g", broker: broker, outcome: .refused("no"), atMillis: 3, environment: [:]))

        let (entries, bad) = try log.read()
        #expect(entries.map(\.atMillis) == [1, 3])
        #expect(bad == [2])
    }

    @Test func anUnwritableLogIsAnErrorNamingTheFile() throws {
        let directory = try StopExecutorTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A directory where the file should be: no write can succeed, whoever runs the test.
        let path = directory + "/audit.log"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let log = AuditLog(path: path)
        #expect {
            try log.append(.stop(group: "g", broker: BrokerConfig(name: "b1"), outcome: .sent("ok"), atMillis: 1, environment: [:]))
        } throws: { error in
            (error as? AuditLog.Failure)?.description.hasPrefix(path + ": ") == true
        }
    }
}
