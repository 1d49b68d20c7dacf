import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 14's hostile inputs through the real binary: no crash, no hang, no forged terminal,
/// and a plain answer for each. The pure checks behind them are in `SafeFileTests`,
/// `LockTimestampTests`, `TerminalTextTests`, `ConfigValueBoundsTests`,
/// `JolokiaHostileValueTests`, `ReplacedLockFileTests` and `AuditLogStreamingTests`.
@Suite struct HostileInputTests {
    /// A broker nobody answers for (the discard port on loopback refuses).
    static let refusedBroker = "      - name: b1\n        jolokia: http://127.0.0.1:9/api/jolokia\n"

    static func config(lockFile: String, extra: String = "", brokerExtra: String = "") -> String {
        "timeout: 1s\ngroups:\n  - name: g\n    lockFile: \(lockFile)\n    brokers:\n" + refusedBroker + brokerExtra + extra
    }

    static func bytes(_ value: Int64) -> Data { withUnsafeBytes(of: UInt64(bitPattern: value).bigEndian) { Data($0) } }

    static func scratch() throws -> String {
        let path = try DashboardTmuxTests.scratchDirectory()
        ProcessReaper.shared.removeAtExit(path)
        return path
    }

    // MARK: - Crashes

    /// Any 8 lock bytes: `status` exits with a Nagios code, never a signal, and shows the
    /// implausible ones as such (Int64.min trapped in the mtime check: exit 132).
    @Test func anyLockBytesAreSurvivedByStatus() async throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let lock = "\(scratch)/lock"
        let path = "\(scratch)/amqtop.yaml"
        try Self.config(lockFile: lock).write(toFile: path, atomically: true, encoding: .utf8)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let values: [(Int64, Bool)] = [
            (.min, true), (.min + 1, true), (-1, true), (0, true), (946_684_799_999, true), (15_928_937_165_000_000, true),
            (.max, true), (now + 7 * 86_400_000, true), (now - 60_000, false),
        ]
        for (value, implausible) in values {
            try Self.bytes(value).write(to: URL(fileURLWithPath: lock))
            // The mtime far away too: `touch -d` can set any, and its nanoseconds overflow Int64.
            var times = [timespec(tv_sec: 253_402_300_799, tv_nsec: 0), timespec(tv_sec: value == .min ? -253_402_300_799 : 253_402_300_799, tv_nsec: 0)]
            #expect(utimensat(AT_FDCWD, lock, &times, 0) == 0)
            for json in [false, true] {
                let result = try await AMQTopExecutable.run(["status", "--config", path] + (json ? ["--json"] : []), deadline: .now + .seconds(30))
                #expect(!result.terminatedBySignal && (0...3).contains(result.exitCode), "\(value): exit \(result.exitCode) \(result.stderr)")
                #expect(result.stdout.contains("LOCK_TIMESTAMP_IMPLAUSIBLE") == implausible, "\(value): \(result.stdout)")
                if json {
                    #expect((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil, "\(value): not JSON")
                } else if implausible {
                    #expect(result.stdout.contains("timestamp IMPLAUSIBLE (\(value): "), "\(value): \(result.stdout)")
                    #expect(!result.stdout.contains(" ago)"), "\(value): a lock age from no time: \(result.stdout)")
                }
            }
        }
    }

    /// The dashboard survives the lock's bytes changing under it to Int64.min and back, shows
    /// the alert, and leaves the terminal as it found it.
    @Test(.disabled(if: TmuxSession.skipped, "tmux is not installed (/usr/bin/tmux)"))
    func theDashboardSurvivesImplausibleLockBytes() async throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let lock = "\(scratch)/lock"
        let path = "\(scratch)/amqtop.yaml"
        try ("lockPoll: 100ms\n" + Self.config(lockFile: lock)).write(toFile: path, atomically: true, encoding: .utf8)
        try Self.bytes(Int64(Date().timeIntervalSince1970 * 1000)).write(to: URL(fileURLWithPath: lock))
        try await TmuxSession.withSession(try DashboardTmuxTests.amqtop(path), environment: DashboardTmuxTests.utf8Environment) { tmux in
            try await tmux.waitForScreen(containing: "No broker is serving as master", deadline: .now + .seconds(30))
            // The group view: its lock panel shows the value, its alerts the rule's message.
            try tmux.sendKeys("Enter")
            try await tmux.waitForScreen(containing: " ago)", deadline: .now + .seconds(30))
            for value in [Int64.min, .max, -1] {
                try Self.bytes(value).write(to: URL(fileURLWithPath: lock))
                try await tmux.waitForScreen("the lock panel showing \(value) as implausible", deadline: .now + .seconds(30)) {
                    $0.contains("IMPLAUSIBLE \(value)")
                }
            }
            try Self.bytes(Int64(Date().timeIntervalSince1970 * 1000)).write(to: URL(fileURLWithPath: lock))
            try await tmux.waitForScreen("the implausible mark gone with a real timestamp", deadline: .now + .seconds(30)) {
                !$0.contains("IMPLAUSIBLE") && $0.contains(" ago)")
            }
            try await DashboardTmuxTests.quitCleanly(tmux)
        }
    }

    // MARK: - Hangs

    /// A FIFO (or a device) wherever a file is named: a plain refusal naming it, within seconds.
    @Test func namedFilesThatAreFIFOsOrDevicesNeverBlock() async throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let fifo = "\(scratch)/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let lock = "\(scratch)/lock"
        try Self.bytes(Int64(Date().timeIntervalSince1970 * 1000)).write(to: URL(fileURLWithPath: lock))
        let https = "      - name: b2\n        jolokia: https://127.0.0.1:9/api/jolokia\n"
        let cases: [(name: String, yaml: String?, arguments: [String], exit: Int32, says: String)] = [
            ("--config FIFO", nil, ["status", "--config", fifo], 3, "amqtop: \(fifo): is a FIFO (named pipe), not a regular file"),
            ("--config device", nil, ["status", "--config", "/dev/zero"], 3, "amqtop: /dev/zero: is a character device, not a regular file"),
            ("ca: FIFO", Self.config(lockFile: lock, brokerExtra: https + "        ca: \(fifo)\n"), [], 3,
             "ca: CA file \(fifo): is a FIFO (named pipe), not a regular file"),
            ("ca: missing", Self.config(lockFile: lock, brokerExtra: https + "        ca: \(scratch)/none.pem\n"), [], 3,
             "ca: CA file \(scratch)/none.pem: no such file"),
            ("passwordFile: FIFO", Self.config(lockFile: lock, brokerExtra: "        username: admin\n        passwordFile: \(fifo)\n"), [], 3,
             "password file \(fifo) is a FIFO (named pipe), not a regular file"),
            ("pidFile: FIFO", Self.config(lockFile: lock, brokerExtra: "        pidFile: \(fifo)\n"), [], 2,
             "is a FIFO (named pipe), not a regular file"),
            ("lockFile: FIFO", Self.config(lockFile: fifo), [], 2,
             "lock: \(fifo), is a FIFO (named pipe), not a regular file, holder unknown (the lock path is a FIFO (named pipe))"),
        ]
        for item in cases {
            var arguments = item.arguments
            if let yaml = item.yaml {
                let path = "\(scratch)/amqtop.yaml"
                try yaml.write(toFile: path, atomically: true, encoding: .utf8)
                arguments = ["status", "--config", path]
            }
            let started = ContinuousClock.now
            let result = try await AMQTopExecutable.run(arguments, deadline: .now + .seconds(30))
            let took = ContinuousClock.now - started
            #expect(!result.timedOut && took < .seconds(20), "\(item.name): took \(took)")
            #expect(result.exitCode == item.exit && !result.terminatedBySignal, "\(item.name): exit \(result.exitCode) \(result.stderr)")
            #expect((result.stdout + result.stderr).contains(item.says), "\(item.name): \(result.stdout) \(result.stderr)")
            if item.name == "lockFile: FIFO" { #expect(!result.stdout.contains("free"), "a FIFO shown as a free lock: \(result.stdout)") }
        }
    }

    /// `audit --file` on a 1 GB file (sparse: no disk) streams it with bounded memory; a 5 MB
    /// config with 30,000 brokers is refused at once instead of parsed (12 s, 990 MB before).
    @Test func bigFilesAreStreamedOrRefusedWithBoundedMemory() async throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let log = "\(scratch)/audit.log"
        let entry = #"{"atMillis":1700000000000,"broker":"b1","detail":"d","group":"g","host":"h","method":"jolokia","result":"sent","user":"ops"}"#
        try Data((entry + "\n").utf8).write(to: URL(fileURLWithPath: log))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try handle.truncate(atOffset: 1 << 30)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(("\n" + entry + "\n").utf8))
        try handle.close()
        let binary = try AMQTopExecutable.path()
        let audit = try await CommandRunner.run(
            "/usr/bin/time", ["-f", "maxrss-kb=%M", binary, "audit", "--file", log], deadline: .now + .seconds(120))
        #expect(audit.exitCode == 0 && !audit.terminatedBySignal, "audit: exit \(audit.exitCode) \(audit.stderr)")
        #expect(audit.stdout.split(separator: "\n").count == 3, "the header and two entries: \(audit.stdout.prefix(500))")
        #expect(audit.stderr.contains("\(log):2: not an audit entry, skipped"), "\(audit.stderr.prefix(500))")
        let rss = audit.stderr.split(separator: "\n").first { $0.hasPrefix("maxrss-kb=") }.flatMap { Int($0.dropFirst(10)) }
        #expect(rss != nil && rss! < 150_000, "audit of 1 GB used \(rss ?? -1) KB")

        let fleet = "\(scratch)/fleet.yaml"
        let brokers = (1...30_000).map { "      - {name: b\($0), jolokia: 'http://10.0.\($0 / 250).\($0 % 250 + 1):8161/api/jolokia'}\n" }.joined()
        try ("groups:\n  - name: g\n    brokers:\n" + brokers).write(toFile: fleet, atomically: true, encoding: .utf8)
        let started = ContinuousClock.now
        let status = try await CommandRunner.run("/usr/bin/time", ["-f", "maxrss-kb=%M", binary, "status", "--config", fleet], deadline: .now + .seconds(60))
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(status.exitCode == 3, "\(status.stderr)")
        #expect(status.stderr.contains("amqtop: \(fleet): larger than 1 MiB, more than amqtop reads from such a file"), "\(status.stderr)")
    }

    /// The lock file replaced by rename every 100 ms under a running `serve`: no failover in
    /// the history (33 phantom "in progress" failovers before). The files are the test's own;
    /// amqtop only reads them.
    @Test func aLockFileReplacedByRenameIsNoFailover() async throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let lock = "\(scratch)/lock"
        let history = "\(scratch)/history.sqlite"
        let path = "\(scratch)/amqtop.yaml"
        try ("history: \(history)\npoll: 250ms\nlockPoll: 50ms\n" + Self.config(lockFile: lock)).write(toFile: path, atomically: true, encoding: .utf8)
        func replace() throws {
            try Self.bytes(Int64(Date().timeIntervalSince1970 * 1000)).write(to: URL(fileURLWithPath: lock + ".new"))
            #expect(rename(lock + ".new", lock) == 0)
        }
        try replace()
        let serve = Process()
        serve.executableURL = URL(fileURLWithPath: try AMQTopExecutable.path())
        serve.arguments = ["serve", "--config", path, "--listen", "127.0.0.1:\(try LoopbackPorts.shared.next())"]
        serve.standardInput = FileHandle.nullDevice
        serve.standardOutput = FileHandle.nullDevice
        serve.standardError = FileHandle.nullDevice
        try serve.run()
        ProcessReaper.shared.register(serve.processIdentifier, owner: scratch)
        defer {
            if serve.isRunning { Glibc.kill(serve.processIdentifier, SIGKILL) }
            ProcessReaper.shared.killAll(owner: scratch)
        }
        try await eventually(deadline: .now + .seconds(30), "serve's history file") { FileManager.default.fileExists(atPath: history) }
        for _ in 0..<40 {
            try replace()
            try await Task.sleep(for: .milliseconds(100))
        }
        Glibc.kill(serve.processIdentifier, SIGTERM)
        try await eventually(deadline: .now + .seconds(15), "serve to exit") { !serve.isRunning }
        let result = try await AMQTopExecutable.run(["history", "--history", history, "--json"], deadline: .now + .seconds(30))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        let failovers = document["failovers"] as? [Any]
        #expect(failovers?.isEmpty == true, "phantom failovers: \(result.stdout)")
    }

    // MARK: - Terminal injection

    /// Escapes and CR/LF from endpoints and the config reach `status` and stderr only as
    /// visible text, and forge no row; `Slave: "yes"` is an endpoint error naming the
    /// attribute; a 400-digit number costs only its attribute; `--json` stays JSON.
    @Test func endpointAndConfigTextNeverReachesTheTerminalRaw() async throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let master = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/corpus/jolokia/master.json").path
        // The fault suite's server, which also serves these hostile answers.
        let portsFile = "\(scratch)/ports.json"
        let server = try EndpointFaultScreenTests.startServer(portsFile: portsFile, master: master)
        do {
            try await checkTerminalText(portsFile: portsFile, server: server, scratch: scratch)
        } catch {
            await EndpointFaultScreenTests.stop(server)
            throw error
        }
        await EndpointFaultScreenTests.stop(server)
    }

    private func checkTerminalText(portsFile: String, server: Process, scratch: String) async throws {
        try await eventually(deadline: .now + .seconds(20), "the endpoints' ports") {
            FileManager.default.fileExists(atPath: portsFile) || !server.isRunning
        }
        let ports = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: portsFile))) as? [String: Int])
        let lock = "\(scratch)/lock\u{1b}[2J"
        try Self.bytes(Int64(Date().timeIntervalSince1970 * 1000)).write(to: URL(fileURLWithPath: lock))
        let brokers = ["escapes", "errors", "slaveyes", "hugenumber"].map { name in
            "      - name: \"\(name)\\e]0;t\\a\"\n        brokerName: broker1\n        jolokia: http://127.0.0.1:\(ports[name] ?? 9)/api/jolokia\n"
        }.joined()
        let path = "\(scratch)/amqtop.yaml"
        try "timeout: 2s\ngroups:\n  - name: \"g\\e[31m\"\n    lockFile: \"\(scratch)/lock\\e[2J\"\n    brokers:\n\(brokers)"
            .write(toFile: path, atomically: true, encoding: .utf8)

        let text = try await AMQTopExecutable.run(["status", "--config", path], deadline: .now + .seconds(30))
        #expect(!text.terminatedBySignal && (0...3).contains(text.exitCode), "exit \(text.exitCode) \(text.stderr)")
        let raw = Array(text.stdout.utf8)
        #expect(!raw.contains(0x1b) && !raw.contains(0x07) && !raw.contains(0x0d), "a raw control byte in status: \(text.stdout)")
        #expect(!text.stdout.unicodeScalars.contains { $0.value == 0x9b || $0.value == 0x202e })
        let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.filter { $0.hasPrefix("GROUP ") }.count == 1, "a forged GROUP line: \(text.stdout)")
        #expect(!lines.contains { $0.hasPrefix("  b9 ") }, "a forged broker row: \(text.stdout)")
        #expect(text.stdout.contains("GROUP g\\x1b[31m"))
        #expect(text.stdout.contains("5.17.2\\x1b[2J\\x1b]0;pwned\\x07\\x0d\\x0a"), "\(text.stdout)")
        func row(_ name: String) -> String { lines.first { $0.hasPrefix("  \(name)\\x1b]0;t\\x07 ") }.map(String.init) ?? "" }
        #expect(row("slaveyes").contains("attribute Slave is of type string"), "\(text.stdout)")
        #expect(row("hugenumber").contains("+ slave"), "\(text.stdout)")
        #expect(row("errors").contains("x\\x1b[31m"), "\(text.stdout)")

        let json = try await AMQTopExecutable.run(["status", "--json", "--config", path], deadline: .now + .seconds(30))
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(document != nil, "status --json is not JSON: \(json.stdout.prefix(300))")
        #expect(json.stdout.contains("LOCK_TIMESTAMP_IMPLAUSIBLE") == false)

        // A config error quoting hostile text: one visible line on stderr.
        try "groups:\n  - name: g\n    \"lockFile\\e[2J\\r\\nforged\": x\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = try await AMQTopExecutable.run(["status", "--config", path], deadline: .now + .seconds(30))
        #expect(error.exitCode == 3)
        #expect(!Array(error.stderr.utf8).contains(0x1b) && !Array(error.stderr.utf8).contains(0x0d), "\(error.stderr)")
        #expect(error.stderr.split(separator: "\n").count == 1, "\(error.stderr)")
        #expect(error.stderr.contains("lockFile\\x1b[2J\\x0d\\x0aforged"), "\(error.stderr)")

        // `amqtop audit` of a log holding escapes and line breaks.
        let log = "\(scratch)/audit.log"
        let entry = #"{"atMillis":1700000000000,"broker":"b1\u001b]0;x\u0007","detail":"ok\r\nWHEN forged","group":"g\u001b[2J","host":"h","method":"jolokia","result":"sent","user":"ops"}"#
        try (entry + "\n\u{1b}[31mgarbage\n").write(toFile: log, atomically: true, encoding: .utf8)
        let audit = try await AMQTopExecutable.run(["audit", "--file", log], deadline: .now + .seconds(30))
        #expect(audit.exitCode == 0, "\(audit.stderr)")
        #expect(!Array((audit.stdout + audit.stderr).utf8).contains(0x1b) && !Array(audit.stdout.utf8).contains(0x0d), "\(audit.stdout)")
        #expect(audit.stdout.split(separator: "\n").count == 2, "a forged audit row: \(audit.stdout)")
        #expect(audit.stdout.contains("g\\x1b[2J") && audit.stdout.contains("ok\\x0d\\x0aWHEN forged"), "\(audit.stdout)")
    }
}
