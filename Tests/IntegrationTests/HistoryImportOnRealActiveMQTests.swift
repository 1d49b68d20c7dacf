import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `amqtop history import` on the logs real ActiveMQ 5.17.2 brokers wrote (log4j 1.2, the
/// upstream pattern, a file appender per broker), beside what `amqtop serve` recorded live.
///
/// One group, three takeovers: a `kill -9` of the master (crash), a Jolokia `stop` the test
/// sends itself (a clean shutdown; amqtop did not send it, so no `stop`), and a `touch` of
/// the lab's own lock file under a keep-alive master (it gives up its lock: lockLost). The
/// TEST touches the lock file its own brokers made; amqtop never does.
///
/// A second `serve` beside it, on its own history file, tails the brokers' logs
/// (`brokerLog:`): it records the same takeovers live with the causes the logs tell.
@Suite(.serialized, .disabled(if: ActiveMQInstallation.skipRequested, "AMQTOP_SKIP_ACTIVEMQ=1: real-ActiveMQ integration tests skipped"))
struct HistoryImportOnRealActiveMQTests {
    typealias Failover = ActionsAndHistoryTests.HistoryDocument.Failover

    @Test func threeTakeoversFromTheLogsMatchWhatServeRecordedLiveWithTheirCauses() async throws {
        let started = ContinuousClock.now
        let options = ActiveMQGroupOptions(
            name: "logimport", count: 3, lockKeepAlivePeriod: .seconds(2), lockAcquireSleepInterval: .seconds(1), jolokiaBeforeBroker: true)
        try await ActiveMQGroup.withStarted(options: options) { group in
            let history = "\(group.rootDirectory)/history.sqlite"
            let base = try group.writeAMQTopConfig(poll: .milliseconds(500), lockPoll: .milliseconds(250), timeout: .seconds(1))
            let config = "\(group.rootDirectory)/amqtop-import.yaml"
            try ("history: \(history)\n" + String(contentsOfFile: base, encoding: .utf8)).write(toFile: config, atomically: true, encoding: .utf8)
            let environment = Self.environment(group)
            let serve = try ServeHarness(config: config, history: history, environment: environment)
            let tailedHistory = "\(group.rootDirectory)/history-tailed.sqlite"
            let tailing = try ServeHarness(config: try Self.writeTailingConfig(group, history: tailedHistory), history: tailedHistory, environment: environment)
            defer { for harness in [serve, tailing] { if let pid = harness.servePid { kill(pid, SIGKILL) } } }
            try await serve.startServe()
            try await tailing.startServe()

            func recorded(_ file: String? = nil) async throws -> [Failover] {
                let result = try await AMQTopExecutable.run(["history", "--history", file ?? history, "--json"], environment: environment)
                guard result.exitCode == 0 else { return [] }
                return (try? JSONDecoder().decode(ActionsAndHistoryTests.HistoryDocument.self, from: Data(result.stdout.utf8)))?.failovers ?? []
            }
            func waitForLive(_ count: Int, _ what: String) async throws {
                // Both serves, before the next step: the tailing one polls on its own schedule, and
                // a new master stopped before it saw that master serve leaves its record incomplete.
                try await eventually(deadline: .now + .seconds(60), pollInterval: .milliseconds(300), "both serves to record \(what) (\(count) complete failovers)") {
                    for file in [history, tailedHistory] {
                        let failovers = try await recorded(file)
                        guard failovers.count == count, failovers.allSatisfy(\.complete) else { return false }
                    }
                    return true
                }
            }
            // Serve must have seen the first master's tenure, and confirmed it two rounds later
            // (as ServeTests does), before that master is killed.
            let first = try await group.waitForMaster(deadline: .now + .seconds(30))
            let metrics = serve.baseURL + "/metrics"
            let series = #"amqtop_broker_master{group="logimport",broker="\#(first)"}"#
            let rounds = try await eventuallyValue(deadline: .now + .seconds(30), "serve to show \(first) as master") {
                let body = (try? await ServeHarness.get(metrics))?.body ?? ""
                return ServeHarness.sample(body, series) == 1 ? ServeHarness.sample(body, "amqtop_poll_rounds_total") : nil
            }
            try await eventually(deadline: .now + .seconds(30), "two more poll rounds of serve") {
                let body = (try? await ServeHarness.get(metrics))?.body ?? ""
                return (ServeHarness.sample(body, "amqtop_poll_rounds_total") ?? 0) >= rounds + 2
            }

            // 1. kill -9: the log just ends; the next master recovers the store.
            try await group.kill9(try group.broker(named: first))
            let second = try await group.waitForMaster(deadline: .now + .seconds(60), excluding: [first])
            try await waitForLive(1, "the crash of \(first)")
            try await group.start(try group.broker(named: first))

            // 2. A Jolokia stop from the test (not from amqtop): a clean shutdown in the log.
            let client = JolokiaTestClient(baseURL: try group.broker(named: second).jolokiaURL)
            // The JVM may exit before its answer is out ("transfer closed"): the exit below is what counts.
            _ = try? await client.post([["type": "exec", "mbean": "org.apache.activemq:type=Broker,brokerName=\(second)", "operation": "stop"]])
            try await eventually(deadline: .now + .seconds(30), "\(second)'s JVM to exit after its Jolokia stop") {
                !(await group.isRunning(try group.broker(named: second)))
            }
            let third = try await group.waitForMaster(deadline: .now + .seconds(60), excluding: [second])
            try await waitForLive(2, "the stop of \(second)")
            try await group.start(try group.broker(named: second))

            // 3. The test touches its own lab lock file: the keep-alive master gives up its lock.
            #expect(utimes(group.lockFilePath, nil) == 0, "touch \(group.lockFilePath): errno \(errno)")
            try await waitForLive(3, "the lock given up by \(third)")
            try await eventually(deadline: .now + .seconds(30), pollInterval: .milliseconds(300), "the tailing serve to record 3 complete failovers") {
                let failovers = try await recorded(tailedHistory)
                return failovers.count == 3 && failovers.allSatisfy(\.complete)
            }
            #expect(try await serve.signalServe(SIGTERM) == 0, "serve's exit after SIGTERM\n\(serve.logTail())")
            #expect(try await tailing.signalServe(SIGTERM) == 0, "the tailing serve's exit after SIGTERM\n\(tailing.logTail())")
            await serve.stop()
            await tailing.stop()
            let live = try await recorded()

            // Live causes: the serve that tailed the logs recorded the shutdown and the give-up as such.
            let tailed = try await recorded(tailedHistory)
            #expect(tailed.map(\.key) == live.map(\.key), "tailed \(tailed)\nplain \(live)")
            #expect(tailed.map(\.cause) == ["crash", "shutdown", "lockLost"], "\(tailed)")
            #expect(tailed.map(\.source) == ["live", "live", "live"], "\(tailed)")
            #expect(tailed.dropFirst().map(\.causeDetail) == ["\(second) shut down cleanly", "\(third) gave up the lock: its keep-alive saw the lock file change"], "\(tailed)")

            let logs = group.brokers.map(\.logFile)
            let imported = try await AMQTopExecutable.run(["history", "import", "--config", config] + logs, environment: environment)
            #expect(imported.exitCode == 0, "import: \(imported.stdout)\n\(imported.stderr)")
            let diagnostics = await group.diagnostics(lines: 30)
            #expect(imported.stdout.contains("logimport: 3 takeovers in 4 tenures (crash 1, lockLost 1, shutdown 1): 3 matched live records, 0 already imported, 0 added"),
                    "import: \(imported.stdout)\n\(imported.stderr)\nlive: \(live)\n\(diagnostics)")
            let after = try await recorded()
            #expect(after.map(\.cause) == ["crash", "shutdown", "lockLost"], "\(after)")
            #expect(after.map(\.from) == [first, second, third], "\(after)")
            #expect(after.map(\.source) == ["live+log", "live+log", "live+log"], "\(after)")
            // The same acquisitions a dashboard recorded, by their keys, with its measured figures.
            #expect(after.map(\.key) == live.map(\.key), "live \(live)\nafter import \(after)")
            #expect(after.map(\.timeWithoutMasterMillis) == live.map(\.timeWithoutMasterMillis))
            #expect(after.map(\.to) == live.map(\.to))
            #expect(after.last?.causeDetail == "\(third) gave up the lock: its keep-alive saw the lock file change", "\(after)")

            let again = try await AMQTopExecutable.run(["history", "import", "--config", config] + logs, environment: environment)
            #expect(again.stdout.contains("0 matched live records, 3 already imported, 0 added"), "second import: \(again.stdout)\n\(again.stderr)")
            #expect(try await recorded() == after)
            print("HistoryImportOnRealActiveMQTests: \(first) crash -> \(second) shutdown -> \(third) lockLost -> \(after.last?.to ?? "?"); "
                + "import: \(imported.stdout.split(separator: "\n").first ?? "")")
        }
        print("HistoryImportOnRealActiveMQTests: whole test \(ContinuousClock.now - started)")
    }

    /// The test's own state and config directories, so no history or audit is shared.
    static func environment(_ group: ActiveMQGroup) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = "\(group.rootDirectory)/state"
        environment["XDG_CONFIG_HOME"] = "\(group.rootDirectory)/config"
        return environment
    }

    /// An amqtop.yaml for `group` whose brokers name their logs (`brokerLog:`), recording into `history`.
    static func writeTailingConfig(_ group: ActiveMQGroup, history: String) throws -> String {
        let file = AMQTopConfigFile(
            poll: .milliseconds(500), lockPoll: .milliseconds(250), timeout: .seconds(1),
            groups: [AMQTopConfigFile.Group(
                name: group.options.name, lockFile: group.lockFilePath, lockKeepAlivePeriod: group.options.lockKeepAlivePeriod,
                lockAcquireSleepInterval: group.options.lockAcquireSleepInterval,
                brokers: group.brokers.map {
                    AMQTopConfigFile.Broker(name: $0.name, jolokia: $0.jolokiaURL, openwire: $0.openWireURI, pidFile: $0.pidFile, brokerLog: $0.logFile)
                })])
        let path = "\(group.rootDirectory)/amqtop-tailed.yaml"
        try ("history: \(history)\n" + file.yaml).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
