import Foundation
import Testing
@testable import AMQTopCore

struct ConfigParserTests {
    let env = ["AMQ_PASSWORD": "s3cret", "HOME": "/home/op"]

    func parse(_ text: String, passwordFileProblem: String? = nil) throws -> AppConfig {
        var parser = ConfigParser(fileName: "amqtop.yaml", environment: env, baseDirectory: "/etc/amqtop") { _ in passwordFileProblem }
        parser.checkCAFile = { _ in nil }
        return try parser.parse(text)
    }

    func failure(_ text: String, passwordFileProblem: String? = nil) -> ConfigError? {
        do {
            _ = try parse(text, passwordFileProblem: passwordFileProblem)
            return nil
        } catch let error as ConfigError {
            return error
        } catch {
            Issue.record("unexpected error type \(error)")
            return nil
        }
    }

    static let full = """
        poll: 1s                 # status endpoints, per broker
        lockPoll: 250ms          # lock files
        timeout: 2s              # per request
        readOnly: true
        groups:
          - name: orders
            lockFile: /mnt/san/orders/kahadb/lock
            lockKeepAlivePeriod: 5s
            lockAcquireSleepInterval: 10s
            brokers:
              - name: broker1
                jolokia: http://broker1:8161/api/jolokia
                username: admin
                passwordEnv: AMQ_PASSWORD
                openwire: tcp://broker1:61616
                pidFile: /run/activemq/broker1.pid
              - name: broker2
                jolokia: https://broker2:8162/api/jolokia
                username: admin
                passwordFile: secrets/broker2
                ca: /etc/ssl/amq-ca.pem
                stop: command
                stopCommand: [ssh, host2, sudo, systemctl, stop, activemq]
          - name: billing
            lockFile: /mnt/san/billing/lock
            brokers:
              - name: b1
                jolokia: http://b1:8161/api/jolokia
                stop: signal
                pidFile: relative/b1.pid
        """

    @Test func parsesTheDocumentedExample() throws {
        let config = try parse(Self.full)
        #expect(config.pollMillis == 1000 && config.lockPollMillis == 250 && config.timeoutMillis == 2000)
        #expect(config.readOnly)
        #expect(config.groups.map(\.name) == ["orders", "billing"])
        let orders = try #require(config.group(named: "orders"))
        #expect(orders.lockKeepAlivePeriodMillis == 5000)
        #expect(orders.lockAcquireSleepIntervalMillis == 10_000)
        #expect(orders.line == 6)
        let b1 = try #require(orders.broker(named: "broker1"))
        #expect(b1.password == .environment("AMQ_PASSWORD"))
        #expect(b1.openwire == HostPort(host: "broker1", port: 61616))
        #expect(b1.stop == .jolokia)
        let b2 = try #require(orders.broker(named: "broker2"))
        #expect(b2.password == .file("/etc/amqtop/secrets/broker2"))
        #expect(b2.stop == .command(["ssh", "host2", "sudo", "systemctl", "stop", "activemq"]))
        let billing = try #require(config.group(named: "billing"))
        #expect(billing.lockKeepAlivePeriodMillis == nil, "not stated means unknown, not off")
        #expect(billing.lockAcquireSleepIntervalMillis == GroupConfig.defaultAcquireSleepIntervalMillis)
        #expect(billing.brokers[0].stop == .signal)
        #expect(billing.brokers[0].pidFile == "/etc/amqtop/relative/b1.pid")
    }

    @Test func emptyFileIsAnEmptyConfig() throws {
        #expect(try parse("").groups.isEmpty)
        #expect(try parse("groups: []").groups.isEmpty)
    }

    struct Mistake: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var line: Int?
        var key: String?
        var says: String
        var testDescription: String { name }
    }

    static let mistakes: [Mistake] = [
        Mistake(name: "bad YAML", yaml: "groups:\n  - name: a\n   brokers: [", line: 3, key: nil, says: "not valid YAML"),
        Mistake(name: "unknown top key", yaml: "poll: 1s\npollInterval: 2s\n", line: 2, key: "pollInterval", says: "unknown key"),
        Mistake(name: "typo in a group key", yaml: "groups:\n  - name: a\n    lockKeepAlive: 5s\n    brokers: [{name: b, jolokia: 'http://h:1/j'}]\n",
                line: 3, key: "groups[a].lockKeepAlive", says: "did you mean lockKeepAlivePeriod"),
        Mistake(name: "bad duration", yaml: "timeout: two seconds\n", line: 1, key: "timeout", says: "not a duration"),
        // Found by the config fuzz target: a duration beyond Int64 trapped instead.
        Mistake(name: "huge duration", yaml: "poll: 1e300s\n", line: 1, key: "poll", says: "too long: 1e300s"),
        Mistake(name: "duration past 100 years", yaml: "poll: 99999999999999999999\n", line: 1, key: "poll", says: "too long"),
        Mistake(name: "negative duration", yaml: "timeout: -5s\n", line: 1, key: "timeout", says: "must not be negative"),
        Mistake(name: "zero poll", yaml: "poll: 0\n", line: 1, key: "poll", says: "greater than 0"),
        Mistake(name: "groups not a list", yaml: "groups:\n  name: a\n", line: 2, key: "groups", says: "must be a list"),
        Mistake(name: "group without name", yaml: "groups:\n  - lockFile: /x\n    brokers: [{name: b}]\n", line: 2, key: "groups[0].name", says: "missing"),
        Mistake(name: "duplicate group", yaml: "groups:\n  - name: a\n    brokers: [{name: b}]\n  - name: a\n    brokers: [{name: b}]\n",
                line: 4, key: "groups[a].name", says: "duplicate group name"),
        Mistake(name: "duplicate broker", yaml: "groups:\n  - name: a\n    brokers:\n      - name: b\n      - name: b\n",
                line: 5, key: "groups[a].brokers[b].name", says: "duplicate broker"),
        Mistake(name: "no brokers", yaml: "groups:\n  - name: a\n    lockFile: /x\n", line: 2, key: "groups[a].brokers", says: "at least one broker"),
        Mistake(name: "wrong type: a list for a URL", yaml: "groups:\n  - name: a\n    brokers:\n      - name: b\n        jolokia: [x]\n",
                line: 5, key: "groups[a].brokers[b].jolokia", says: "single value"),
        Mistake(name: "not a URL", yaml: "groups:\n  - name: a\n    brokers:\n      - name: b\n        jolokia: broker1:8161\n",
                line: 5, key: "groups[a].brokers[b].jolokia", says: "not an http(s) URL"),
        Mistake(name: "bad openwire", yaml: "groups:\n  - name: a\n    brokers:\n      - name: b\n        openwire: tcp://h\n",
                line: 5, key: "groups[a].brokers[b].openwire", says: "not a transport address"),
        Mistake(name: "password in the file", yaml: "groups:\n  - name: a\n    brokers:\n      - name: b\n        username: u\n        password: hunter2\n",
                line: 6, key: "groups[a].brokers[b].password", says: "not allowed"),
        Mistake(name: "unset password variable", yaml: "groups:\n  - name: a\n    brokers:\n      - name: b\n        username: u\n        passwordEnv: NOPE\n",
                line: 6, key: "groups[a].brokers[b].passwordEnv", says: "NOPE is not set"),
        Mistake(name: "bool of the wrong kind", yaml: "readOnly: maybe\n", line: 1, key: "readOnly", says: "true or false"),
        Mistake(name: "unknown stop method", yaml: "groups:\n  - name: a\n    brokers:\n      - name: b\n        stop: kill\n",
                line: 5, key: "groups[a].brokers[b].stop", says: "unknown method kill"),
        Mistake(name: "signal without pid file", yaml: "groups:\n  - name: a\n    brokers:\n      - name: b\n        stop: signal\n",
                line: 5, key: "groups[a].brokers[b].stop", says: "needs pidFile"),
        Mistake(name: "key twice", yaml: "poll: 1s\npoll: 2s\n", line: 2, key: "poll", says: "twice"),
    ]

    @Test(arguments: mistakes)
    func mistakesNameLineAndKey(_ mistake: Mistake) throws {
        let error = try #require(failure(mistake.yaml))
        #expect(error.file == "amqtop.yaml")
        #expect(error.line == mistake.line)
        #expect(error.key == mistake.key)
        #expect(error.message.contains(mistake.says), "\(error)")
        #expect(error.description.hasPrefix("amqtop.yaml:"))
    }

    @Test func historyThatIsALockFileIsRefusedByPathAndByInode() throws {
        let scratch = NSTemporaryDirectory() + "amqtop-histlock-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let lock = scratch + "/lock"
        try Data([0, 0, 1, 0x9a, 0, 0, 0, 0]).write(to: URL(fileURLWithPath: lock))
        try FileManager.default.createSymbolicLink(atPath: scratch + "/alias", withDestinationPath: lock)
        let group = "groups:\n  - name: a\n    lockFile: \(lock)\n    brokers:\n      - name: b\n        jolokia: http://127.0.0.1:8161/api/jolokia\n"
        for history in [lock, scratch + "/./lock", scratch + "/alias"] {
            let error = try #require(failure("history: \(history)\n" + group), "history: \(history) was accepted")
            #expect(error.key == "history" && error.description.contains("lock file"), "\(error)")
        }
        #expect(try parse("history: \(scratch)/history.sqlite\n" + group).historyPath == scratch + "/history.sqlite")
        #expect(try Data(contentsOf: URL(fileURLWithPath: lock)) == Data([0, 0, 1, 0x9a, 0, 0, 0, 0]))
    }

    @Test func passwordInFileIsNotEchoed() throws {
        let error = try #require(failure("groups:\n  - name: a\n    brokers:\n      - name: b\n        username: u\n        password: hunter2\n"))
        #expect(!error.description.contains("hunter2"))
    }

    @Test func groupReadablePasswordFileIsRefused() throws {
        let error = try #require(failure(
            "groups:\n  - name: a\n    brokers:\n      - name: b\n        username: u\n        passwordFile: /p\n",
            passwordFileProblem: "password file /p is readable by group or others (mode 644): chmod 600 it"))
        #expect(error.line == 6 && error.key == "groups[a].brokers[b].passwordFile")
    }

    @Test func realPasswordFilePermissions() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("amqtop-pw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("pw").path
        try "secret\n".write(toFile: file, atomically: false, encoding: .utf8)
        chmod(file, 0o644)
        #expect(PasswordFileCheck.problem(atPath: file)?.contains("readable by group or others") == true)
        chmod(file, 0o600)
        #expect(PasswordFileCheck.problem(atPath: file) == nil)
        #expect(PasswordFileCheck.problem(atPath: dir.path)?.contains("not a regular file") == true)
        #expect(PasswordFileCheck.problem(atPath: file + ".missing")?.contains("cannot read") == true)
    }

    @Test func loaderNamesMissingFileAndSearchesXDG() throws {
        let loader = ConfigLoader(environment: ["XDG_CONFIG_HOME": "/xdg", "HOME": "/home/op"], currentDirectory: "/work")
        #expect(loader.searchPaths == ["/work/amqtop.yaml", "/xdg/amqtop/config.yaml"])
        #expect(throws: ConfigError(file: "/nonexistent/amqtop.yaml", line: nil, key: nil, message: "no such file")) {
            try loader.load(path: "/nonexistent/amqtop.yaml")
        }
    }

    @Test func adHocGroupFromFlags() throws {
        let group = try AdHocGroup(
            lockFile: "/shared/lock", brokers: ["b1=http://h1:8161/api/jolokia", "b2=http://h2:8161/api/jolokia"],
            openwire: ["b1=tcp://h1:61616"], pidFiles: ["b2=/run/b2.pid"], lockKeepAlivePeriod: "2s").build()
        #expect(group.brokers.map(\.name) == ["b1", "b2"])
        #expect(group.brokers[0].openwire?.port == 61616)
        #expect(group.brokers[1].pidFile == "/run/b2.pid")
        #expect(group.lockKeepAlivePeriodMillis == 2000)
        #expect(throws: ConfigError.self) { try AdHocGroup(lockFile: "/x", brokers: ["b1"]).build() }
        #expect(throws: ConfigError.self) { try AdHocGroup(lockFile: "/x", brokers: ["b1=http://h"], openwire: ["b9=tcp://h:1"]).build() }
    }
}
