import AMQTopCore
import AMQTopProbes
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `amqtop status` against real ActiveMQ Classic 5.17.2 shared-file master/slave groups.
///
/// The harness is the oracle: the OpenWire port that accepts is the master, the harness's
/// own `Process` pids are the JVMs, ``LockFileInspector`` and ``LockFileFingerprint`` read
/// the lock file independently of the product. Each test first waits (with a deadline)
/// until the oracle says the group is settled, then runs `status` once and checks it
/// strictly, so a wrong verdict fails instead of being retried away. Only the failover
/// test polls `status`, because there the question is how soon it sees the new master.
///
/// Most tests share one three-broker group of their own (`name: "status"`; Jolokia before
/// the broker, 2 s keep-alive, 1 s lock retries), not the default shared group: suites run
/// in parallel, and ``ActiveMQGroupTests`` kills that group's master and touches its lock
/// file's mtime, which would land in the middle of these checks. The test that kills the
/// master here restarts it as a slave, so the group keeps three brokers.
@Suite(
    .serialized,
    .disabled(
        if: ActiveMQInstallation.skipRequested,
        "AMQTOP_SKIP_ACTIVEMQ=1: real-ActiveMQ integration tests skipped"
    )
)
struct StatusOnRealActiveMQTests {
    /// The options of the suite's own shared group.
    static let groupOptions = ActiveMQGroupOptions(name: "status")

    // MARK: - Jolokia before the broker: every broker answers

    /// Right master and slaves, lock holder pid and broker, the timestamp, OK, and the text form.
    @Test func statusNamesTheMasterTheSlavesAndTheLockHolder() async throws {
        let group = try await SharedActiveMQGroups.shared.group(Self.groupOptions)
        let master = try await Self.settledMaster(of: group)
        let masterPid = try #require(await group.pid(of: master))
        let before = try LockFileInspector.snapshot(group.lockFilePath)

        let result = try await group.runAMQTop(["status", "--json"])
        let document = try Self.document(result)

        let after = try LockFileInspector.snapshot(group.lockFilePath)
        try #require(after == before, "the lock changed hands during the run; the check below would be meaningless")
        let entry = try #require(document.group(group.options.name), "\(document.text)")
        #expect(entry.master == master.name, "\(entry.roles)\n\(document.text)")
        #expect(entry.masters == [master.name])
        for broker in group.brokers {
            let reported = try #require(entry.broker(broker.name), "\(broker.name) missing from\n\(document.text)")
            let isMaster = broker == master
            #expect(reported.role == (isMaster ? "master" : "slave"), "\(broker.name): \(reported.role ?? "null"), evidence \(reported.evidence)")
            #expect(reported.slave == !isMaster, "\(broker.name): Slave=\(String(describing: reported.slave))")
            #expect(reported.endpointReachable == true, "\(broker.name): \(reported.endpointErrorCode ?? "")")
            #expect(reported.openwireState == (isMaster ? "open" : "refused"), "\(broker.name)")
            #expect(reported.holdsLock == isMaster, "\(broker.name)")
            #expect(reported.processState == "alive", "\(broker.name)")
            let pid = try #require(await group.pid(of: broker))
            #expect(reported.processPid == Int64(pid), "\(broker.name)")
        }
        let lock = try #require(entry.lock)
        #expect(lock.path == group.lockFilePath)
        #expect(lock.exists == true)
        #expect(lock.state == "ok")
        #expect(lock.held == true)
        #expect(lock.holder == "pid")
        #expect(lock.holderPid == Int64(masterPid), "master \(master.name) is pid \(masterPid)")
        #expect(lock.holderBroker == master.name)
        #expect(lock.acquiredAtMillis == before.timestampMillis)
        #expect(lock.mtimeMatchesTimestamp == true)
        #expect(lock.filesystemShared == false, "the harness's /tmp is a local filesystem: \(lock.filesystemType ?? "?")")
        // On a local filesystem with keep-alive stated and three live brokers, nothing is wrong.
        #expect(entry.alerts.isEmpty, "\(entry.alerts)")
        #expect(entry.status == "OK")
        #expect(document.status == "OK")
        #expect(document.exitCode == 0)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        print("status --json on \(group.options.name): master \(master.name) pid \(masterPid), filesystem \(lock.filesystemType ?? "?"), "
            + "lock age \(lock.ageMillis.map { "\($0) ms" } ?? "?")")

        let text = try await group.runAMQTop(["status"])
        #expect(text.exitCode == 0, "stderr: \(text.stderr)")
        let header = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("GROUP ") }, "\(text.stdout)")
        #expect(header.contains("GROUP \(group.options.name)  OK  master: \(master.name)"), "\(text.stdout)")
        #expect(text.stdout.contains("held by pid \(masterPid) (\(master.name))"), "\(text.stdout)")
    }

    /// `--lock-file`/`--broker`/`--openwire`/`--pid-file` flags describe the same group as the YAML.
    @Test func adHocFlagsFormSeesTheSameGroup() async throws {
        let group = try await SharedActiveMQGroups.shared.group(Self.groupOptions)
        let master = try await Self.settledMaster(of: group)
        let masterPid = try #require(await group.pid(of: master))
        var arguments = [
            "status", "--json", "--lock-file", group.lockFilePath,
            "--lock-keep-alive", AMQTopConfigFile.format(group.options.lockKeepAlivePeriod),
            "--lock-acquire-interval", AMQTopConfigFile.format(group.options.lockAcquireSleepInterval),
        ]
        for broker in group.brokers {
            arguments += [
                "--broker", "\(broker.name)=\(broker.jolokiaURL)",
                "--openwire", "\(broker.name)=\(broker.openWireURI)",
                "--pid-file", "\(broker.name)=\(broker.pidFile)",
            ]
        }

        // The root directory holds the harness's amqtop.yaml; the flags must win over it.
        let result = try await AMQTopExecutable.run(arguments, currentDirectory: group.rootDirectory)
        let document = try Self.document(result)

        let entry = try #require(document.groups.first, "\(document.text)")
        #expect(document.groups.count == 1)
        #expect(entry.name == "default", "the flags' group is named default")
        #expect(entry.master == master.name, "\(entry.roles)")
        for broker in group.brokers where broker != master {
            #expect(entry.broker(broker.name)?.role == "slave", "\(entry.roles)")
        }
        #expect(entry.lock?.holderPid == Int64(masterPid))
        #expect(entry.lock?.holderBroker == master.name)
        #expect(entry.alerts.isEmpty, "\(entry.alerts)")
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")

        // Without pid files and OpenWire, the flags form still finds the master from Jolokia alone.
        let bare = try await AMQTopExecutable.run(
            ["status", "--json", "--lock-file", group.lockFilePath, "--lock-keep-alive", "2s"]
                + group.brokers.flatMap { ["--broker", "\($0.name)=\($0.jolokiaURL)"] },
            currentDirectory: group.rootDirectory)
        let bareEntry = try #require(try Self.document(bare).groups.first)
        #expect(bareEntry.master == master.name, "\(bareEntry.roles)")
        #expect(bareEntry.lock?.holderPid == Int64(masterPid))
        #expect(bareEntry.lock?.holderBroker == nil, "no pid files: the holder pid cannot be mapped to a broker")
        #expect(bare.exitCode == 0, "alerts: \(bareEntry.alerts), stderr: \(bare.stderr)")
    }

    // MARK: - Failover

    /// After `kill -9` of the master, `status` names the new master, a newer timestamp, and the killed broker `down`.
    @Test func killNineOfTheMasterIsSeenByStatus() async throws {
        let group = try await SharedActiveMQGroups.shared.group(Self.groupOptions)
        let old = try await Self.settledMaster(of: group)
        let before = try LockFileInspector.snapshot(group.lockFilePath)
        let config = try group.writeAMQTopConfig()

        // An independent clock for "serving again": a watcher polls the other brokers'
        // OpenWire ports while status runs, so status's lag behind the brokers is measured.
        let others = group.brokers.filter { $0 != old }
        let killedAtWall = Self.wallClockMillis()
        let killedAt = ContinuousClock.now
        try await group.kill9(old)
        let openWireWatcher = Task { () -> Duration? in
            while !Task.isCancelled && ContinuousClock.now - killedAt < .seconds(30) {
                if others.contains(where: { LoopbackTCP.isAccepting(port: $0.openWirePort) }) {
                    return ContinuousClock.now - killedAt
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return nil
        }
        do {
            try await checkStatusAfterKilling(old, in: group, config: config, before: before, killedAt: killedAt,
                killedAtWall: killedAtWall, openWireWatcher: openWireWatcher)
        } catch {
            // A thrown failure must not leave the shared group one broker short for the tests after it.
            openWireWatcher.cancel()
            if !(await group.isRunning(old)) { try? await group.start(old) }
            throw error
        }
    }

    /// The checks after `kill -9` of `old`, then `old` restarted and seen as a slave again.
    private func checkStatusAfterKilling(
        _ old: ActiveMQBroker, in group: ActiveMQGroup, config: String, before: LockFileInspector.Snapshot,
        killedAt: ContinuousClock.Instant, killedAtWall: Int64, openWireWatcher: Task<Duration?, Never>
    ) async throws {
        var rounds: [String] = []
        let (document, exitCode) = try await eventuallyValue(
            deadline: .now + .seconds(30), pollInterval: .milliseconds(50), "status naming a master other than \(old.name)"
        ) { () -> (StatusDocument, Int32)? in
            let result = try await AMQTopExecutable.run(
                ["status", "--json", "--config", config], currentDirectory: group.rootDirectory)
            let document = try Self.document(result)
            let entry = document.group(group.options.name)
            rounds.append(
                "+\(Self.millis(ContinuousClock.now - killedAt)) ms exit \(result.exitCode) master \(entry?.master ?? "none") "
                    + "lock holder \(entry?.lock?.holderBroker ?? entry?.lock?.holder ?? "?") \(entry.map(Self.rolesLine) ?? "-") "
                    + "alerts \(entry?.alerts.compactMap(\.code) ?? [])")
            guard let master = entry?.master, master != old.name else { return nil }
            return (document, result.exitCode)
        }
        let seenAfter = ContinuousClock.now - killedAt
        let openWireAfter = await openWireWatcher.value
        // The harness's own oracle, after the fact: who accepts OpenWire now.
        let oracle = try await group.waitForMaster(deadline: .now + .seconds(10), excluding: [old.name])

        let entry = try #require(document.group(group.options.name))
        let now = try LockFileInspector.snapshot(group.lockFilePath)
        print("kill -9 of \(old.name): lock re-acquired by \(entry.lock?.holderBroker ?? "?") \(now.timestampMillis - killedAtWall) ms after the kill, "
            + "OpenWire open after \(openWireAfter.map { "\(Self.millis($0)) ms" } ?? "never"), "
            + "status named \(entry.master ?? "?") after \(Self.millis(seenAfter)) ms (\(rounds.count) status runs):\n  "
            + rounds.joined(separator: "\n  "))
        #expect(entry.master == oracle, "\(entry.roles)")
        let newPid = try #require(await group.pid(of: try group.broker(named: oracle)))
        #expect(entry.lock?.holderPid == Int64(newPid))
        #expect(entry.lock?.holderBroker == oracle)
        let acquired = try #require(entry.lock?.acquiredAtMillis)
        #expect(acquired > before.timestampMillis, "old \(before.timestampMillis), new \(acquired)")
        #expect(acquired == now.timestampMillis)
        let killed = try #require(entry.broker(old.name))
        #expect(killed.role == "down", "\(old.name): \(killed.role ?? "null"), evidence \(killed.evidence)")
        #expect(killed.processState == "dead")
        #expect(killed.endpointReachable == false)
        for broker in group.brokers where broker != old && broker.name != oracle {
            #expect(entry.broker(broker.name)?.role == "slave", "\(entry.roles)")
        }
        let down = entry.alerts.filter { $0.code == "BROKER_DOWN" }
        #expect(down.count == 1 && down.first?.broker == old.name && down.first?.severity == "WARNING", "\(entry.alerts)")
        #expect(entry.alerts.allSatisfy { $0.severity == "WARNING" }, "\(entry.alerts)")
        #expect(entry.status == "WARNING")
        #expect(exitCode == 1)

        // Leave the shared group as found: three brokers, the killed one back as a slave.
        // A live JVM without the lock already counts as a slave by its process evidence, so
        // wait for its own Slave=true answer: the broker has really reached slave mode.
        try await group.start(old)
        let restartedAt = ContinuousClock.now
        let restored = try await eventuallyValue(deadline: .now + .seconds(30), "status reporting restarted \(old.name) as slave with Slave=true") {
            () -> StatusDocument.Group? in
            let result = try await group.runAMQTop(["status", "--json"])
            guard let entry = try Self.document(result).group(group.options.name),
                let broker = entry.broker(old.name), broker.role == "slave", broker.slave == true, result.exitCode == 0
            else { return nil }
            return entry
        }
        #expect(restored.master == oracle)
        #expect(restored.alerts.isEmpty, "\(restored.alerts)")
        print("restarted \(old.name): status OK with it answering Slave=true \(Self.millis(ContinuousClock.now - restartedAt)) ms after the restart")
    }

    // MARK: - Stock behaviour: Jolokia after the broker, slaves silent

    /// Silent slaves: `slave` with a pid file (process and lock evidence), `unknown` without, never `down`.
    @Test func silentSlavesAreSlavesWithAPidFileAndUnknownWithout() async throws {
        let options = ActiveMQGroupOptions(name: "stock3", count: 3, jolokiaBeforeBroker: false)
        try await ActiveMQGroup.withStarted(options: options) { group in
            let master = try group.broker(named: try await group.waitForMaster(deadline: .now + .seconds(30)))
            let slaves = group.brokers.filter { $0 != master }
            _ = try await eventuallyValue(deadline: .now + .seconds(20), "\(master.name)'s Jolokia answering") {
                await JolokiaTestClient(baseURL: master.jolokiaURL).slaveFlag(brokerName: master.name)
            }
            for slave in slaves {
                try await eventually(deadline: .now + .seconds(20), "\(slave.name) logging that it waits for the lock") {
                    Self.log(of: slave).contains("waiting a lock to be acquired")
                }
                #expect(!LoopbackTCP.isAccepting(port: slave.jolokiaPort), "stock slave \(slave.name) should serve no Jolokia")
            }
            let masterPid = try #require(await group.pid(of: master))

            // Every broker with a pid file.
            let withPidFiles = try Self.document(try await group.runAMQTop(["status", "--json"]))
            let entry = try #require(withPidFiles.group(options.name), "\(withPidFiles.text)")
            #expect(entry.master == master.name, "\(entry.roles)")
            let masterEntry = try #require(entry.broker(master.name))
            #expect(masterEntry.slave == false)
            #expect(masterEntry.evidence.contains("Slave=false") && masterEntry.evidence.contains("OpenWire open"), "\(masterEntry.evidence)")
            for slave in slaves {
                let reported = try #require(entry.broker(slave.name))
                #expect(reported.role == "slave", "\(slave.name): \(reported.role ?? "null"), evidence \(reported.evidence)")
                #expect(reported.endpointReachable == false && reported.endpointErrorCode == "refused", "\(slave.name)")
                #expect(reported.slave == nil, "a silent slave has no Slave attribute to report")
            }
            #expect(entry.lock?.holderPid == Int64(masterPid))
            #expect(entry.lock?.holderBroker == master.name)
            #expect(entry.alerts.isEmpty, "\(entry.alerts)")
            #expect(withPidFiles.exitCode == 0)

            // One slave with a pid file, one without: the same run shows both verdicts.
            let withPid = slaves[0]
            let withoutPid = slaves[1]
            let mixedPath = "\(group.rootDirectory)/amqtop-mixed.yaml"
            try Self.config(for: group, pidFiles: [master.name, withPid.name]).yaml
                .write(toFile: mixedPath, atomically: true, encoding: .utf8)
            let mixedResult = try await AMQTopExecutable.run(
                ["status", "--json", "--config", mixedPath], currentDirectory: group.rootDirectory)
            let mixed = try #require(try Self.document(mixedResult).group(options.name))
            #expect(mixed.master == master.name, "\(mixed.roles)")
            #expect(mixed.broker(withPid.name)?.role == "slave", "\(mixed.roles)")
            let unknown = try #require(mixed.broker(withoutPid.name))
            #expect(unknown.role == "unknown", "\(withoutPid.name): \(unknown.role ?? "null"), evidence \(unknown.evidence)")
            #expect(!mixed.alerts.contains { $0.code == "BROKER_DOWN" }, "\(mixed.alerts)")
            print("stock group, mixed pid files: exit \(mixedResult.exitCode), alerts \(mixed.alerts), "
                + "\(withoutPid.name) evidence \(unknown.evidence)")

            // No pid files at all: the master from Slave=false and OpenWire, both slaves unknown.
            let bareResult = try await AMQTopExecutable.run(
                ["status", "--json", "--config", try group.writeAMQTopConfig(to: "\(group.rootDirectory)/amqtop-nopid.yaml", includePidFiles: false)],
                currentDirectory: group.rootDirectory)
            let bare = try #require(try Self.document(bareResult).group(options.name))
            #expect(bare.master == master.name, "\(bare.roles)")
            for slave in slaves {
                #expect(bare.broker(slave.name)?.role == "unknown", "\(bare.roles)")
            }
            #expect(!bare.roles.values.contains("down"), "\(bare.roles)")
            #expect(bare.lock?.holderPid == Int64(masterPid))
            #expect(bare.lock?.holderBroker == nil, "no pid files: the holder pid maps to no broker")
            #expect(bareResult.exitCode != 2 && bareResult.exitCode != 3, "alerts: \(bare.alerts)")
            // Nothing confirms a standby (measured before: OK, no alerts, also with both slaves killed).
            #expect(bare.alerts.contains { $0.code == "NO_STANDBY_CONFIRMED" }, "\(bare.alerts)")
            #expect(bareResult.exitCode == 1, "alerts: \(bare.alerts)")
            print("stock group, no pid files: exit \(bareResult.exitCode), alerts \(bare.alerts)")
        }
    }

    // MARK: - The observer never disturbs the lock

    /// 30 `status` runs and 200 in-process probe rounds leave the lock file's bytes, mtime and ctime as they were.
    @Test func statusAndProbesNeverChangeTheLockFile() async throws {
        let group = try await SharedActiveMQGroups.shared.group(Self.groupOptions)
        let master = try await Self.settledMaster(of: group)
        let masterPid = try #require(await group.pid(of: master))
        let logLength = Self.log(of: master).utf8.count
        let before = try LockFileFingerprint.read(group.lockFilePath)
        let snapshotBefore = try LockFileInspector.snapshot(group.lockFilePath)
        let started = ContinuousClock.now

        for run in 1...30 {
            let result = try await group.runAMQTop(["status", "--json"])
            let entry = try #require(try Self.document(result).group(group.options.name))
            #expect(entry.master == master.name && result.exitCode == 0, "run \(run): \(entry.roles), \(entry.alerts)")
        }
        let statusRuns = ContinuousClock.now - started

        // The product's probes in-process, many rounds back to back, each also assessed.
        let config = try ConfigLoader().load(path: try group.writeAMQTopConfig())
        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        let prober = GroupProber(config: config, http: http)
        var rounds = 0
        var masters: Set<String> = []
        // At least 200 rounds, and long enough for the master's keep-alive to have checked
        // the mtime several times, so a disturbance would have made it give up.
        let minimum = Duration.milliseconds(group.options.lockKeepAlivePeriod.wholeMilliseconds * 3)
        while rounds < 200 || ContinuousClock.now - started < minimum {
            let observations = await prober.probeAll(config)
            let report = StatusReport(groups: config.groups, observations: observations, nowMillis: TimeFormat.nowMillis())
            masters.insert(report.entries.first?.assessment.master ?? "none")
            rounds += 1
        }
        await http.shutdown()
        let elapsed = ContinuousClock.now - started

        let after = try LockFileFingerprint.read(group.lockFilePath)
        #expect(after == before, "before: \(before)\nafter:  \(after)")
        #expect(try LockFileInspector.snapshot(group.lockFilePath) == snapshotBefore)
        #expect(masters == [master.name], "masters seen in-process: \(masters)")
        // Still the same JVM as master: its keep-alive never gave up.
        #expect(group.brokersAcceptingOpenWire() == [master])
        #expect(await group.pid(of: master) == masterPid)
        #expect(try LockFileInspector.posixWriteLockHolders(of: snapshotBefore) == [masterPid])
        let newLog = String(Self.log(of: master).utf8.dropFirst(logLength)) ?? ""
        #expect(!newLog.contains("no longer able to keep the exclusive lock"), "\(newLog)")
        print("lock untouched by 30 status runs (\(Self.millis(statusRuns)) ms) and \(rounds) probe rounds; "
            + "\(Self.millis(elapsed)) ms in all, keep-alive \(group.options.lockKeepAlivePeriod)")
    }

    // MARK: - Configuration mistakes

    /// `--group NOPE` and a misspelt key both exit 3 (UNKNOWN) with a message that names the mistake.
    @Test func unknownGroupAndConfigMistakesExitThree() async throws {
        let group = try await SharedActiveMQGroups.shared.group(Self.groupOptions)

        let nope = try await group.runAMQTop(["status", "--json", "--group", "NOPE"])
        #expect(nope.exitCode == 3 && !nope.terminatedBySignal, "stdout: \(nope.stdout)")
        #expect(nope.stderr.contains("NOPE"), "stderr: \(nope.stderr)")
        #expect(nope.stderr.contains(group.options.name), "the message lists the known groups: \(nope.stderr)")
        #expect(nope.stdout.isEmpty)

        let narrowed = try await group.runAMQTop(["status", "--json", "--group", group.options.name])
        #expect(try Self.document(narrowed).groups.map(\.name) == [group.options.name])

        // `lockKeepAlive` for `lockKeepAlivePeriod`: an easy slip, and a silent one if ignored.
        let good = try String(contentsOfFile: try group.writeAMQTopConfig(), encoding: .utf8)
        let badPath = "\(group.rootDirectory)/amqtop-bad.yaml"
        try good.replacingOccurrences(of: "lockKeepAlivePeriod:", with: "lockKeepAlive:")
            .write(toFile: badPath, atomically: true, encoding: .utf8)
        let badLine = try #require(
            good.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("lockKeepAlivePeriod:") }) + 1
        let bad = try await AMQTopExecutable.run(["status", "--json", "--config", badPath], currentDirectory: group.rootDirectory)
        #expect(bad.exitCode == 3 && !bad.terminatedBySignal, "stdout: \(bad.stdout)")
        #expect(bad.stderr.contains("\(badPath):\(badLine): groups[\(group.options.name)].lockKeepAlive:"), "stderr: \(bad.stderr)")
        #expect(bad.stdout.isEmpty)

        // A value that is not a duration, on the right line too.
        let timeoutLine = try #require(
            good.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("timeout:") }) + 1
        try good.replacingOccurrences(of: "timeout: 2s", with: "timeout: two seconds")
            .write(toFile: badPath, atomically: true, encoding: .utf8)
        let badValue = try await AMQTopExecutable.run(["status", "--config", badPath], currentDirectory: group.rootDirectory)
        #expect(badValue.exitCode == 3, "stdout: \(badValue.stdout)")
        #expect(badValue.stderr.contains("\(badPath):\(timeoutLine): timeout"), "stderr: \(badValue.stderr)")
        print("config errors:\n  \(nope.stderr.trimmingCharacters(in: .newlines))\n  \(bad.stderr.trimmingCharacters(in: .newlines))\n  "
            + badValue.stderr.trimmingCharacters(in: .newlines))
    }

    // MARK: - Helpers

    /// The master once the group is settled: exactly one OpenWire port open, and every
    /// other running broker answering `Slave=true` (so a broker restarted by an earlier test
    /// has finished starting). Only for groups with Jolokia before the broker.
    private static func settledMaster(of group: ActiveMQGroup) async throws -> ActiveMQBroker {
        let name = try await group.waitForMaster(deadline: .now + .seconds(30))
        let master = try group.broker(named: name)
        for broker in group.brokers where broker != master {
            let slave = try await eventuallyValue(deadline: .now + .seconds(30), "\(broker.name) answering Slave") {
                await JolokiaTestClient(baseURL: broker.jolokiaURL).slaveFlag(brokerName: broker.name)
            }
            try #require(slave, "\(broker.name) answers Slave=false while \(name) holds OpenWire")
        }
        try #require(group.brokersAcceptingOpenWire() == [master], "more than one OpenWire port open")
        return master
    }

    /// Parses a `status --json` run, failing with its stderr when it printed no JSON.
    private static func document(_ result: CommandResult) throws -> StatusDocument {
        guard !result.timedOut, !result.terminatedBySignal else {
            throw HarnessError.deadlineExceeded("amqtop status (timed out: \(result.timedOut), signal: \(result.terminatedBySignal)); stderr: \(result.stderr)")
        }
        do {
            return try StatusDocument(result.stdout)
        } catch {
            throw HarnessError.unknownBroker("status printed no JSON (exit \(result.exitCode)): \(error)\nstdout: \(result.stdout)\nstderr: \(result.stderr)")
        }
    }

    /// The group's `amqtop.yaml` with pid files only for the brokers named in `pidFiles`.
    private static func config(for group: ActiveMQGroup, pidFiles: Set<String>) -> AMQTopConfigFile {
        AMQTopConfigFile(
            poll: .seconds(1), lockPoll: .milliseconds(250), timeout: .seconds(2),
            groups: [
                AMQTopConfigFile.Group(
                    name: group.options.name, lockFile: group.lockFilePath,
                    lockKeepAlivePeriod: group.options.lockKeepAlivePeriod,
                    lockAcquireSleepInterval: group.options.lockAcquireSleepInterval,
                    brokers: group.brokers.map {
                        AMQTopConfigFile.Broker(
                            name: $0.name, jolokia: $0.jolokiaURL, openwire: $0.openWireURI,
                            pidFile: pidFiles.contains($0.name) ? $0.pidFile : nil)
                    })
            ])
    }

    /// The broker's log4j log so far (empty before it exists).
    private static func log(of broker: ActiveMQBroker) -> String {
        (try? String(contentsOfFile: broker.logFile, encoding: .utf8)) ?? ""
    }

    /// `b1=down b2=slave b3=master`: one status round on one line.
    private static func rolesLine(_ entry: StatusDocument.Group) -> String {
        entry.roles.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    private static func wallClockMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    private static func millis(_ duration: Duration) -> Int64 {
        duration.wholeMilliseconds
    }
}
