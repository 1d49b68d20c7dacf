import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One lab broker and one real ActiveMQ broker on the same lock directory: they must exclude
/// each other exactly as two ActiveMQ brokers do (the lab takes the same POSIX `fcntl` lock and
/// writes the same timestamp), so a lab can stand in for a real broker in a drill.
@Suite(
    .serialized,
    .disabled(if: ActiveMQInstallation.skipRequested, "AMQTOP_SKIP_ACTIVEMQ=1: real-ActiveMQ integration tests skipped")
)
struct MixedGroupTests {
    /// Both sides use lockAcquireSleepInterval 1 s and lockKeepAlivePeriod 2 s.
    static let options = ActiveMQGroupOptions(name: "mixed", count: 1)

    @Test func labAndRealBrokerHoldTheLockExclusivelyAndTakeOverFromEachOther() async throws {
        let group = try ActiveMQGroup(options: Self.options)
        let real = try group.broker(named: "b1")
        let lab = try LabBrokerProcess(
            name: "lab1", directory: group.sharedDirectory, owner: group.rootDirectory, logDirectory: group.rootDirectory,
            keepAliveMillis: Self.options.lockKeepAlivePeriod.wholeMilliseconds,
            acquireMillis: Self.options.lockAcquireSleepInterval.wholeMilliseconds)
        do {
            try await run(group: group, real: real, lab: lab)
            try? await lab.signal(SIGKILL)
            await group.stopAll()
        } catch {
            print("lab log:\n\(lab.logTail())\nreal:\n\(await group.diagnostics())")
            try? await lab.signal(SIGKILL)
            await group.stopAll()
            throw error
        }
    }

    private func run(group: ActiveMQGroup, real: ActiveMQBroker, lab: LabBrokerProcess) async throws {
        // 1. The lab broker first: it takes the lock; the real one then waits as a slave.
        try lab.start()
        try await eventually(deadline: .now + .seconds(15), "the lab broker to become master") { lab.isAcceptingOpenWire }
        let labPid = try #require(lab.pid)
        let first = try LockFileInspector.snapshot(group.lockFilePath)
        try await group.start(real)
        try await eventually(deadline: .now + .seconds(60), "the real broker to answer as a slave") {
            await JolokiaTestClient(baseURL: real.jolokiaURL).slaveFlag(brokerName: real.name) == true
        }
        try await expectExclusive(group: group, master: "lab1", holder: labPid, real: real, lab: lab)
        #expect(try LockFileInspector.snapshot(group.lockFilePath).timestampMillis == first.timestampMillis,
                "a waiting real slave must not rewrite the lock file")

        // 2. kill -9 the lab master: the real broker takes over and writes its own timestamp.
        let killedLabAt = ContinuousClock.now
        try await lab.signal(SIGKILL)
        let realMaster = try await group.waitForMaster(deadline: .now + .seconds(30))
        let realTookOver = ContinuousClock.now - killedLabAt
        #expect(realMaster == real.name)
        let realPid = try #require(await group.pid(of: real))
        let second = try LockFileInspector.snapshot(group.lockFilePath)
        #expect(second.timestampMillis > first.timestampMillis, "the real master rewrote the lock timestamp")

        // 3. The lab broker comes back and waits as a slave behind the real master.
        try lab.start()
        try await eventually(deadline: .now + .seconds(15), "the restarted lab broker to answer as a slave") {
            await JolokiaTestClient(baseURL: lab.jolokiaURL).slaveFlag(brokerName: lab.name) == true
        }
        try await eventually(deadline: .now + .seconds(10), "the lab broker to log that it waits as a slave") {
            lab.logTail(lines: 50).contains("This broker is now in slave mode waiting a lock to be acquired")
        }
        try await expectExclusive(group: group, master: real.name, holder: realPid, real: real, lab: lab)

        // 4. kill -9 the real master: the lab broker takes over again.
        let killedRealAt = ContinuousClock.now
        try await group.kill9(real)
        try await eventually(deadline: .now + .seconds(30), pollInterval: .milliseconds(20), "the lab broker to take over") {
            lab.isAcceptingOpenWire
        }
        let labTookOver = ContinuousClock.now - killedRealAt
        let newLabPid = try #require(lab.pid)
        let third = try LockFileInspector.snapshot(group.lockFilePath)
        #expect(third.timestampMillis > second.timestampMillis, "the lab master rewrote the lock timestamp")
        #expect(try LockFileInspector.posixWriteLockHolders(of: third) == [newLabPid])
        #expect(!LoopbackTCP.isAccepting(port: real.openWirePort))
        print("MixedGroupTests: real took over from the lab in \(realTookOver), lab took over from the real in \(labTookOver)")
        // Bound: acquire interval + keep-alive wait + start; a JVM start adds more on this machine.
        #expect(labTookOver < .seconds(6))
    }

    /// Exactly one master (OpenWire), and `/proc/locks` names `holder` as the only lock holder.
    private func expectExclusive(
        group: ActiveMQGroup, master: String, holder: pid_t, real: ActiveMQBroker, lab: LabBrokerProcess,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let masters = [lab.isAcceptingOpenWire ? lab.name : nil, LoopbackTCP.isAccepting(port: real.openWirePort) ? real.name : nil]
            .compactMap { $0 }
        #expect(masters == [master], "OpenWire masters", sourceLocation: sourceLocation)
        let snapshot = try LockFileInspector.snapshot(group.lockFilePath)
        #expect(try LockFileInspector.posixWriteLockHolders(of: snapshot) == [holder], "lock holders", sourceLocation: sourceLocation)
    }
}
