import AMQTopCore
import Foundation
import Testing
@testable import AMQTopRemote

/// A broker log followed on its host through the session (`brokerLog:` of a broker with `host:`):
/// the real script in a real `/bin/sh` behind a fake ssh, on files this test writes; and the
/// feed that hands the lines to the history recorder without waiting on a host.
struct RemoteLogTailTests {
    /// A scratch directory for the logs; removed by `remove()`.
    struct Files {
        let directory: String

        init() throws {
            directory = try FakeSSH.temporaryDirectory(prefix: "amqtop-remote-log")
        }

        func append(_ text: String, to path: String) throws {
            guard let handle = FileHandle(forWritingAtPath: path) else {
                _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
                return
            }
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try handle.close()
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// From the end, then appends (a line split across refreshes), a log4j-style rotation with an
    /// unfinished line left in the old file, a truncation in place, a path with quotes and `$(...)`.
    @Test func followsAppendsRotationAndTruncationFromTheEnd() async throws {
        let fakes = try FakeSSH(), files = try Files()
        defer { fakes.remove(); files.remove() }
        let connection = HostConnection(host: HostConfig(name: "amq1", ssh: "fake"), commandLine: try fakes.make("ssh", body: "exec /bin/sh"))
        let log = "\(files.directory)/it's a \"log\" $(touch x)"
        try files.append("written before\n", to: log)
        let tail = RemoteLogTail(host: "amq1", path: log, connection: connection, timeoutMillis: 10_000)
        #expect(await tail.refresh() == [])
        try files.append("a\nb", to: log)
        #expect(await tail.refresh() == ["a"])
        try files.append("\nc\n", to: log)
        #expect(await tail.refresh() == ["b", "c"])
        #expect(await tail.refresh() == [])

        try files.append("d\nunfinished", to: log)
        #expect(rename(log, log + ".1") == 0)
        try files.append("new 1\n", to: log)
        #expect(await tail.refresh() == ["d", "unfinished", "new 1"])

        #expect(truncate(log, 0) == 0)
        try files.append("t\n", to: log)
        #expect(await tail.refresh() == ["t"])
        #expect(!FileManager.default.fileExists(atPath: "\(files.directory)/x"), "a path was run as shell code")
        await connection.close()
    }

    /// A log that is not there yet is waited for and then read from its first line; a flood is
    /// read a chunk per refresh, in order, nothing lost.
    @Test func aLateLogIsReadFromItsStartAndAFloodInBoundedChunks() async throws {
        let fakes = try FakeSSH(), files = try Files()
        defer { fakes.remove(); files.remove() }
        let connection = HostConnection(host: HostConfig(name: "amq1", ssh: "fake"), commandLine: try fakes.make("ssh", body: "exec /bin/sh"))
        let log = "\(files.directory)/activemq.log"
        let tail = RemoteLogTail(host: "amq1", path: log, connection: connection, timeoutMillis: 10_000, chunkBytes: 64)
        #expect(await tail.refresh() == [])
        let flood = (0..<100).map { String(format: "line %04d", $0) }
        try files.append(flood.map { $0 + "\n" }.joined(), to: log)
        var read: [String] = []
        var refreshes = 0
        while read.count < flood.count, refreshes < 100 {
            let lines = await tail.refresh()
            // 64 bytes a refresh: at most 6 lines of 10 bytes (one may complete a held part).
            #expect(lines.count <= 7, "\(lines.count) lines in one refresh")
            read += lines
            refreshes += 1
        }
        #expect(read == flood)
        await connection.close()
    }

    /// The answers the host can give, and what is not one.
    @Test func answersAreParsedStrictly() {
        #expect(RemoteLogTail.parse("missing\n") == .missing)
        #expect(RemoteLogTail.parse("stat 12 34\n") == .file(inode: 12, size: 34, old: nil, offset: nil, data: nil))
        #expect(RemoteLogTail.parse("stat 12 34\nold YQ==\ndata 0 Yg==\n")
            == .file(inode: 12, size: 34, old: Data("a".utf8), offset: 0, data: Data("b".utf8)))
        #expect(RemoteLogTail.parse("stat 12 34\ndata 5 \n") == .file(inode: 12, size: 34, old: nil, offset: 5, data: Data()))
        #expect(RemoteLogTail.parse("Welcome\nstat 1 2\n") == nil)
        #expect(RemoteLogTail.parse("stat 1 2\ndata x Yg==\n") == nil)
        #expect(RemoteLogTail.parse("stat 1 2\ndata 0 !!\n") == nil)
        #expect(RemoteLogTail.parse("stat -1 2\n") == nil)
    }

    /// The feed answers at once with what its last refresh brought, and starts the next: a host
    /// that never answers holds only its own broker's lines, never the ask nor the other host's.
    @Test(.timeLimit(.minutes(1)))
    func theFeedNeverWaitsOnAHost() async throws {
        let fakes = try FakeSSH(), files = try Files()
        defer { fakes.remove(); files.remove() }
        // ssh's destination is its second-to-last argument; `hung` never starts a shell.
        let ssh = try fakes.script("ssh", body: #"for a; do d=$p; p=$a; done; [ "$d" = hung ] && exec sleep 60; exec /bin/sh"#)
        let log = "\(files.directory)/b1.log"
        try files.append("before\n", to: log)
        let config = AppConfig(
            timeoutMillis: 30_000,
            groups: [GroupConfig(name: "g", brokers: [
                BrokerConfig(name: "b1", host: "amq1", brokerLog: log),
                BrokerConfig(name: "b2", host: "amq2", brokerLog: "/var/log/activemq/activemq.log"),
            ])],
            hosts: [HostConfig(name: "amq1", ssh: "ok"), HostConfig(name: "amq2", ssh: "hung")])
        let pool = try HostPool(config: config, sshExecutable: ssh)
        let feed = RemoteBrokerLogFeed(config: config, pool: pool, timeoutMillis: config.timeoutMillis)
        #expect(!feed.isEmpty)
        var seen: [String: [String]] = [:]
        var appended = false
        let deadline = ContinuousClock.now + .seconds(20)
        while seen["b1"] != ["after 1", "after 2"], ContinuousClock.now < deadline {
            for batch in feed.newLines(group: "g") { seen[batch.broker, default: []] += batch.lines }
            // Once the first look has found the end, the news is written.
            if !appended, feed.refreshesDone(broker: "b1") > 0 {
                try files.append("after 1\nafter 2\n", to: log)
                appended = true
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(seen["b1"] == ["after 1", "after 2"], "\(seen)")
        #expect(seen["b2", default: []].isEmpty)
        #expect(pool.connection("amq2")?.status.state == .connecting)
        await pool.close()
    }
}
