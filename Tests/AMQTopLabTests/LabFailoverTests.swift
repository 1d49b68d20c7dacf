import AMQTopLab
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Real lab-broker processes contending for one lock file, as ActiveMQ brokers do.
/// Serialized: failover timings are the point, and the machine has two cores.
@Suite(.serialized)
struct LabFailoverTests {
    /// Slack above lockAcquireSleepInterval + lockKeepAlivePeriod for process and poll latency.
    static let slack: Duration = .milliseconds(1500)

    @Test func exactlyOneMasterHoldsTheLockAndWroteAFreshTimestamp() async throws {
        let startedAt = LabTestSupport.nowMillis()
        try await LabTestSupport.withGroup(try LabTestSupport.options()) { group in
            let master = try await LabTestSupport.waitForSettledGroup(group)
            // Every broker answers Jolokia; only the master says Slave=false.
            let settled = await LabTestSupport.waitUntil(.seconds(5)) {
                group.brokers.allSatisfy { LabTestSupport.slaveAttribute($0) == ($0.name != master.name) }
            }
            #expect(settled)
            #expect(LabTestSupport.openWireMasters(group).map(\.name) == [master.name])

            let stamp = try #require(LabLockFile.readTimestamp(path: group.lockFilePath))
            #expect(stamp >= startedAt - 5 && stamp <= LabTestSupport.nowMillis())
            let mtime = try LabLockFile.modificationMillis(path: group.lockFilePath)
            #expect(abs(mtime - stamp) < 1000)

            let masterPid = try #require(await group.pid(of: master.name))
            #expect(LabTestSupport.lockHolderPid(path: group.lockFilePath) == masterPid)
            let pidFile = try String(contentsOfFile: try #require(master.pidFile), encoding: .utf8)
            #expect(pidFile.trimmingCharacters(in: .whitespacesAndNewlines) == String(masterPid))
        }
    }

    @Test func killingTheMasterFailsOverWithinAcquireIntervalPlusKeepAlive() async throws {
        let options = try LabTestSupport.options()
        try await LabTestSupport.withGroup(options) { group in
            let master = try await LabTestSupport.waitForSettledGroup(group)
            let oldStamp = try #require(LabLockFile.readTimestamp(path: group.lockFilePath))

            let killedAt = ContinuousClock.now
            #expect(await group.send(SIGKILL, to: master.name))
            let bound = Duration.milliseconds(options.lockAcquireSleepIntervalMillis + options.lockKeepAlivePeriodMillis)
            let successor = try await LabTestSupport.waitForSingleMaster(group, timeout: bound + Self.slack * 2, excluding: master.name)
            let took = ContinuousClock.now - killedAt
            print("lab failover after kill -9: \(took) (bound \(bound) + slack)")
            #expect(took <= bound + Self.slack)
            #expect(successor.name != master.name)

            let newStamp = try #require(LabLockFile.readTimestamp(path: group.lockFilePath))
            #expect(newStamp > oldStamp)
            #expect(LabTestSupport.slaveAttribute(successor) == false)
        }
    }

    @Test func touchingTheLockFileMakesAKeepAliveMasterGiveUp() async throws {
        let options = try LabTestSupport.options()
        try await LabTestSupport.withGroup(options) { group in
            let master = try await LabTestSupport.waitForSettledGroup(group)
            let masterPid = try #require(await group.pid(of: master.name))
            let oldStamp = try #require(LabLockFile.readTimestamp(path: group.lockFilePath))

            // What an observer must never do: change the lock file's mtime.
            #expect(utimes(group.lockFilePath, nil) == 0)
            let gaveUp = await LabTestSupport.waitUntil(.milliseconds(options.lockKeepAlivePeriodMillis) + Self.slack) {
                await group.pid(of: master.name) != masterPid
            }
            #expect(gaveUp)
            let log = try String(contentsOfFile: group.logPath(of: master.name), encoding: .utf8)
            #expect(log.contains("no longer able to keep the exclusive lock so giving up being a master"))

            let successor = try await LabTestSupport.waitForSingleMaster(group, excluding: master.name)
            #expect(successor.name != master.name)
            #expect(try #require(LabLockFile.readTimestamp(path: group.lockFilePath)) > oldStamp)
        }
    }

    /// A clean stop through Jolokia: the takeover follows, and the stopped broker's pid file
    /// stays naming its (now dead) pid, so amqtop reads "process N not running", not
    /// "no pid file"; stopping the group then removes the pid files it left.
    @Test func execStopOnTheMasterAnswersThenFailsOver() async throws {
        var pidFiles: [String] = []
        try await LabTestSupport.withGroup(try LabTestSupport.options()) { group in
            let master = try await LabTestSupport.waitForSettledGroup(group)
            let masterPid = try #require(await group.pid(of: master.name))
            pidFiles = group.brokers.compactMap(\.pidFile)
            let body = #"{"type":"exec","mbean":"org.apache.activemq:type=Broker,brokerName=\#(master.name)","operation":"stop"}"#
            let stoppedAt = ContinuousClock.now
            let response = try RawHTTP.send(port: master.jolokiaPort, method: "POST", path: "/api/jolokia", body: body)
            #expect(response.status == 200)
            let json = try #require(response.json)
            #expect(json["status"] == 200)
            #expect(json["value"] == .null)
            #expect(json["request"]?["operation"] == "stop")
            #expect(json["request"]?["type"] == "exec")
            #expect(json["timestamp"]?.intValue != nil)

            let successor = try await LabTestSupport.waitForSingleMaster(group, excluding: master.name)
            print("lab failover after exec stop: \(ContinuousClock.now - stoppedAt)")
            #expect(await group.pid(of: master.name) == nil)
            #expect(successor.name != master.name)
            let left = try String(contentsOfFile: try #require(master.pidFile), encoding: .utf8)
            #expect(left.trimmingCharacters(in: .whitespacesAndNewlines) == String(masterPid), "the stopped broker's pid file")
            #expect(kill(masterPid, 0) != 0, "pid \(masterPid) still runs")
        }
        #expect(pidFiles.count == 3)
        #expect(pidFiles.allSatisfy { !FileManager.default.fileExists(atPath: $0) }, "pid files left after stop(): \(pidFiles)")
    }

    @Test func aRespawnedBrokerRejoinsAsASlave() async throws {
        try await LabTestSupport.withGroup(try LabTestSupport.options(brokers: 2, respawnMillis: 1500)) { group in
            let master = try await LabTestSupport.waitForSettledGroup(group)
            let oldPid = try #require(await group.pid(of: master.name))
            #expect(await group.send(SIGKILL, to: master.name))

            let successor = try await LabTestSupport.waitForSingleMaster(group, excluding: master.name)
            let respawned = await LabTestSupport.waitUntil(.seconds(5)) {
                guard let pid = await group.pid(of: master.name), pid != oldPid else { return false }
                return LabTestSupport.slaveAttribute(master) == true
            }
            #expect(respawned)
            #expect(await group.startCount(of: master.name) == 2)
            #expect(!RawHTTP.accepts(port: master.openWirePort))
            #expect(LabTestSupport.openWireMasters(group).map(\.name) == [successor.name])
        }
    }

    @Test func silentSlavesRefuseHTTPUntilTheyBecomeMaster() async throws {
        try await LabTestSupport.withGroup(try LabTestSupport.options(silentSlaves: true)) { group in
            let master = try await LabTestSupport.waitForSettledGroup(group)
            #expect(await LabTestSupport.waitUntil(.seconds(3)) { LabTestSupport.slaveAttribute(master) == false })
            for slave in group.brokers where slave.name != master.name {
                #expect(throws: RawHTTP.Failure.self) {
                    try RawHTTP.send(port: slave.jolokiaPort, path: "/api/jolokia/version")
                }
                #expect(!RawHTTP.accepts(port: slave.jolokiaPort))
            }

            #expect(await group.send(SIGKILL, to: master.name))
            let successor = try await LabTestSupport.waitForSingleMaster(group, excluding: master.name)
            #expect(await LabTestSupport.waitUntil(.seconds(2)) { LabTestSupport.slaveAttribute(successor) == false })
        }
    }
}
