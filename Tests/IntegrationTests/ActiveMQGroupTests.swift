import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Facts about real ActiveMQ Classic 5.17.2 shared-file master/slave groups that amqtop relies on.
///
/// Most tests share one started three-broker group (Jolokia before the broker); the tests
/// that kill a master bring it back as a slave before they return, so the order of tests
/// does not matter.
@Suite(
    .serialized,
    .disabled(
        if: ActiveMQInstallation.skipRequested,
        "AMQTOP_SKIP_ACTIVEMQ=1: real-ActiveMQ integration tests skipped"
    )
)
struct ActiveMQGroupTests {
    @Test func threeBrokersElectExactlyOneMaster() async throws {
        let group = try await SharedActiveMQGroups.shared.group()
        let master = try await group.waitForMaster(deadline: .now + .seconds(30))

        #expect(group.brokersAcceptingOpenWire().map(\.name) == [master])
        for broker in group.brokers {
            #expect(await group.isRunning(broker), "\(broker.name) should be running")
        }
        for slave in group.brokers where slave.name != master {
            try await eventually(deadline: .now + .seconds(20), "\(slave.name) logging that it waits for the lock") {
                Self.log(of: slave).contains("This broker is now in slave mode waiting a lock to be acquired")
            }
        }
    }

    @Test func lockFileStartsWithTheMastersBigEndianMillisecondTimestamp() async throws {
        let group = try await SharedActiveMQGroups.shared.group()
        _ = try await group.waitForMaster(deadline: .now + .seconds(30))
        let snapshot = try LockFileInspector.snapshot(group.lockFilePath)
        let launchedAt = try #require(await group.launchedAtMillis)
        let now = Self.wallClockMillis()

        #expect(snapshot.timestampMillis >= launchedAt && snapshot.timestampMillis <= now,
            "timestamp \(snapshot.timestampMillis) outside [\(launchedAt), \(now)]")
        #expect(abs(snapshot.timestampMillis - snapshot.modificationMillis) <= 1000,
            "timestamp \(snapshot.timestampMillis) vs mtime \(snapshot.modificationMillis)")
        print("lock timestamp - mtime: \(snapshot.timestampMillis - snapshot.modificationMillis) ms")
    }

    @Test func procLocksNamesTheMastersJavaPid() async throws {
        let group = try await SharedActiveMQGroups.shared.group()
        let master = try group.broker(named: try await group.waitForMaster(deadline: .now + .seconds(30)))
        let pid = try #require(await group.pid(of: master))
        let holders = try LockFileInspector.posixWriteLockHolders(of: try LockFileInspector.snapshot(group.lockFilePath))

        let procLocks = try LockFileInspector.procLocks()
        #expect(holders == [pid], "/proc/locks:\n\(procLocks)")
        let pidFile = try String(contentsOfFile: master.pidFile, encoding: .utf8)
        #expect(pidFile.trimmingCharacters(in: .whitespacesAndNewlines) == "\(pid)")
    }

    @Test func jolokiaBeforeBrokerAnswersSlaveFlagOnEveryBroker() async throws {
        let group = try await SharedActiveMQGroups.shared.group()
        let master = try await group.waitForMaster(deadline: .now + .seconds(30))

        for broker in group.brokers {
            let client = JolokiaTestClient(baseURL: broker.jolokiaURL)
            let slave = try await eventuallyValue(deadline: .now + .seconds(20), "\(broker.name) answering Slave") {
                await client.slaveFlag(brokerName: broker.name)
            }
            #expect(slave == (broker.name != master), "\(broker.name): Slave=\(slave), master is \(master)")
        }
    }

    @Test func bulkReadOnSlaveFailsBrokerNameInsideHTTP200() async throws {
        let group = try await SharedActiveMQGroups.shared.group()
        let master = try await group.waitForMaster(deadline: .now + .seconds(30))
        let slave = try #require(group.brokers.first { $0.name != master })
        let client = JolokiaTestClient(baseURL: slave.jolokiaURL)
        _ = try await eventuallyValue(deadline: .now + .seconds(20), "\(slave.name) answering Slave") {
            await client.slaveFlag(brokerName: slave.name)
        }

        let response = try await client.post(
            ["BrokerName", "Slave", "BrokerVersion", "UptimeMillis"].map {
                JolokiaTestClient.readBrokerAttribute($0, brokerName: slave.name)
            })

        #expect(response.httpStatus == 200)
        let answers = try #require(response.json as? [[String: Any]])
        try #require(answers.count == 4)
        #expect(answers[0]["status"] as? Int == 500)
        #expect(answers[0]["error_type"] as? String == "java.lang.IllegalStateException")
        #expect((answers[0]["error"] as? String)?.contains("Broker is not yet started") == true)
        #expect(answers[1]["status"] as? Int == 200)
        #expect(answers[1]["value"] as? Bool == true)
        #expect(answers[2]["status"] as? Int == 200)
        #expect((answers[2]["value"] as? String)?.hasPrefix("5.") == true)
        #expect(answers[3]["status"] as? Int == 200)
        #expect(answers[3]["value"] as? Int != nil)

        let masterAnswer = try await JolokiaTestClient(baseURL: try group.broker(named: master).jolokiaURL)
            .post([JolokiaTestClient.readBrokerAttribute("BrokerName", brokerName: master)])
        let masterAnswers = try #require(masterAnswer.json as? [[String: Any]])
        #expect(masterAnswers.first?["value"] as? String == master)
    }

    @Test func jolokiaAfterBrokerLeavesSlavesSilent() async throws {
        let options = ActiveMQGroupOptions(name: "stock", count: 2, jolokiaBeforeBroker: false)
        try await ActiveMQGroup.withStarted(options: options) { group in
            let master = try group.broker(named: try await group.waitForMaster(deadline: .now + .seconds(30)))
            let slave = try #require(group.brokers.first { $0 != master })

            let masterSlaveFlag = try await eventuallyValue(deadline: .now + .seconds(20), "\(master.name)'s Jolokia") {
                await JolokiaTestClient(baseURL: master.jolokiaURL).slaveFlag(brokerName: master.name)
            }
            #expect(masterSlaveFlag == false)
            try await eventually(deadline: .now + .seconds(20), "\(slave.name) logging that it waits for the lock") {
                Self.log(of: slave).contains("waiting a lock to be acquired")
            }
            // A running slave with no endpoint at all: "no answer" must not read as "down".
            #expect(await group.isRunning(slave))
            #expect(!LoopbackTCP.isAccepting(port: slave.jolokiaPort))
            #expect(!LoopbackTCP.isAccepting(port: slave.openWirePort))
            await #expect(throws: (any Error).self) {
                _ = try await JolokiaTestClient(baseURL: slave.jolokiaURL).get("/version")
            }
        }
    }

    @Test func killNineOfMasterHandsTheLockToAnotherBroker() async throws {
        let group = try await SharedActiveMQGroups.shared.group()
        let old = try group.broker(named: try await group.waitForMaster(deadline: .now + .seconds(30)))
        let before = try LockFileInspector.snapshot(group.lockFilePath)

        let killedAt = ContinuousClock.now
        let killedAtWall = Int64(Date().timeIntervalSince1970 * 1000)
        try await group.kill9(old)
        let newName = try await group.waitForMaster(deadline: .now + .seconds(30), excluding: [old.name])
        let failover = ContinuousClock.now - killedAt
        print("kill -9 of \(old.name) -> \(newName) accepting OpenWire after \(failover)")

        let after = try LockFileInspector.snapshot(group.lockFilePath)
        #expect(newName != old.name)
        #expect(after.timestampMillis > before.timestampMillis)
        // What the group's lockAcquireSleepInterval stands for: the kernel frees a killed
        // holder's lock at once, and a slave retries every interval, so the new master's
        // timestamp (its acquisition) comes within one interval, plus a second for a busy machine.
        let acquiredAfter = after.timestampMillis - killedAtWall
        let interval = group.options.lockAcquireSleepInterval.wholeMilliseconds
        #expect(acquiredAfter <= interval + 1000, "the lock was re-acquired \(acquiredAfter) ms after the kill; slaves retry every \(interval) ms")
        #expect(abs(after.timestampMillis - after.modificationMillis) <= 1000)
        #expect(group.brokersAcceptingOpenWire().map(\.name) == [newName])
        let newPid = try #require(await group.pid(of: try group.broker(named: newName)))
        #expect(try LockFileInspector.posixWriteLockHolders(of: after) == [newPid])

        try await Self.restartAsSlave(old, in: group)
    }

    @Test func sigtermOfMasterHandsTheLockToAnotherBroker() async throws {
        let group = try await SharedActiveMQGroups.shared.group()
        let old = try group.broker(named: try await group.waitForMaster(deadline: .now + .seconds(30)))
        let before = try LockFileInspector.snapshot(group.lockFilePath)

        let stoppedAt = ContinuousClock.now
        try await group.stop(old)
        let exited = ContinuousClock.now - stoppedAt
        let exitedAtWall = Int64(Date().timeIntervalSince1970 * 1000)
        let newName = try await group.waitForMaster(deadline: .now + .seconds(30), excluding: [old.name])
        print("SIGTERM of \(old.name): exited after \(exited), \(newName) accepting OpenWire after \(ContinuousClock.now - stoppedAt)")

        #expect(newName != old.name)
        let after = try LockFileInspector.snapshot(group.lockFilePath)
        #expect(after.timestampMillis > before.timestampMillis)
        // As after kill -9: once the old master has exited, a slave takes the lock within one retry interval.
        let acquiredAfter = after.timestampMillis - exitedAtWall
        let interval = group.options.lockAcquireSleepInterval.wholeMilliseconds
        #expect(acquiredAfter <= interval + 1000, "the lock was re-acquired \(acquiredAfter) ms after the old master exited; slaves retry every \(interval) ms")
        try await Self.restartAsSlave(old, in: group)
    }

    @Test func changingTheLockFilesMtimeMakesAKeepAliveMasterGiveUp() async throws {
        let group = try await SharedActiveMQGroups.shared.group()
        let old = try group.broker(named: try await group.waitForMaster(deadline: .now + .seconds(30)))
        let oldLogLength = Self.log(of: old).count

        // What an observer must never do: only the mtime changes, the bytes and the lock stay.
        let touchedAt = ContinuousClock.now
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: group.lockFilePath)

        try await eventually(deadline: .now + .seconds(20), "\(old.name) logging that it gives up the lock") {
            Self.log(of: old).dropFirst(oldLogLength).contains("no longer able to keep the exclusive lock")
        }
        // What lockKeepAlivePeriod stands for: the master re-checks every period, so it notices
        // within one period; two, plus a second for logging on a busy machine, is the bound.
        let gaveUpAfter = ContinuousClock.now - touchedAt
        let keepAlive = group.options.lockKeepAlivePeriod
        #expect(gaveUpAfter <= keepAlive * 2 + .seconds(1), "\(old.name) gave up \(gaveUpAfter) after the mtime change; keep-alive every \(keepAlive)")
        let newName = try await group.waitForMaster(deadline: .now + .seconds(30), excluding: [old.name])
        print("mtime change -> \(old.name) gave up, \(newName) master after \(ContinuousClock.now - touchedAt); "
            + "\(old.name) JVM running: \(await group.isRunning(old))")
        #expect(newName != old.name)

        // The JVM may outlive its broker; make it a plain slave again either way.
        if await group.isRunning(old) {
            try await group.kill9(old)
        }
        try await Self.restartAsSlave(old, in: group)
    }

    /// Starts `broker` again and waits until its Jolokia reports it a slave, restoring the shared group.
    private static func restartAsSlave(_ broker: ActiveMQBroker, in group: ActiveMQGroup) async throws {
        try await group.start(broker)
        let slave = try await eventuallyValue(deadline: .now + .seconds(30), "restarted \(broker.name) answering Slave") {
            await JolokiaTestClient(baseURL: broker.jolokiaURL).slaveFlag(brokerName: broker.name)
        }
        #expect(slave == true)
    }

    private static func log(of broker: ActiveMQBroker) -> String {
        (try? String(contentsOfFile: broker.logFile, encoding: .utf8)) ?? ""
    }

    private static func wallClockMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
