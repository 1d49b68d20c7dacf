import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Three real ActiveMQ 5.17 brokers on three simulated hosts sharing one KahaDB directory,
/// Jolokia on each host's 127.0.0.1 only (after the broker: silent slaves; POST only; `stop`
/// denied), watched by amqtop on the jump host, which does not see the store.
@Suite(
    .serialized,
    .disabled(if: MultiHostLab.problem != nil, "\(MultiHostLab.problem ?? "")"),
    .disabled(if: ActiveMQInstallation.skipRequested, "AMQTOP_SKIP_ACTIVEMQ=1"))
struct MultiHostBrokerTests {
    @Test(.timeLimit(.minutes(4)))
    func rolesLockHolderAndFailoverThroughHosts() async throws {
        let lab = try await MultiHostLab.start(hostCount: 3)
        do {
            try await run(lab)
        } catch {
            await lab.shutdown()
            throw error
        }
        await lab.shutdown()
        #expect(!FileManager.default.fileExists(atPath: lab.root))
    }

    private func run(_ lab: MultiHostLab) async throws {
        try await lab.startBrokers(options: ActiveMQGroupOptions(
            name: "mh", lockKeepAlivePeriod: .milliseconds(2000), lockAcquireSleepInterval: .milliseconds(1000),
            jolokiaBeforeBroker: false))
        let configPath = "\(lab.root)/amqtop.yaml"
        let brokers = lab.hosts.map { host in
            (name: lab.broker(on: host).name, host: host.name, pidFile: lab.broker(on: host).pidFile, jolokia: true)
        }
        try MultiHostTests.config(lab: lab, lockFile: lab.lockFile, brokers: brokers)
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        func status() async throws -> MultiHostStatus {
            try MultiHostStatus(try await lab.amqtop(["status", "--json", "--config", configPath]))
        }

        // One master serving, both stock slaves recognised as slaves by their live process on their host.
        let first = try await eventuallyValue(deadline: .now + .seconds(90), "a master and two slaves in status --json") {
            let status = try await status()
            let roles = status.brokers.compactMap { $0["role"] as? String }.sorted()
            // The master serves (Slave=false through its host's loopback), not only holds the lock.
            let serving = status.masters.first.map { status.evidence($0).contains("Slave=false") } ?? false
            return roles == ["master", "slave", "slave"] && serving && status.lockInt("acquiredAtMillis") != nil ? status : nil
        }
        let master = try #require(first.masters.first)
        let masterHost = lab.hosts.first { lab.broker(on: $0).name == master }!
        let masterPid = try String(contentsOfFile: lab.broker(on: masterHost).pidFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(first.lock["holderHost"] as? String == masterHost.name, "\(first.raw)")
        #expect(first.lockInt("holderPid").map(String.init) == masterPid, "\(first.raw)")
        #expect(first.lock["holderBroker"] as? String == master)
        #expect(first.lockInt("ageMillis") != nil)
        #expect(first.evidence(master).contains("OpenWire open") || first.evidence(master).contains("Slave=false"))
        for host in lab.hosts {
            #expect(first.hostState(host.name) == "connected", "\(first.raw)")
        }
        for slave in first.brokers.compactMap({ $0["name"] as? String }) where slave != master {
            // Silent slave: Jolokia through the forward is refused on its host, OpenWire not listening.
            #expect(first.evidence(slave).contains { $0.contains("refused") }, "\(first.evidence(slave))")
        }

        // amqtop reads the lock on every host without changing it.
        let steady = try LockFileFingerprint.read(lab.lockFile)
        _ = try await status()
        _ = try await status()
        #expect(try LockFileFingerprint.read(lab.lockFile) == steady, "the lock file changed under amqtop")

        // kill -9 of the master's JVM: another broker takes the lock and serves; the timestamp is newer.
        let oldStamp = try #require(first.lockInt("acquiredAtMillis"))
        try await lab.killBroker(on: masterHost)
        let deadMaster: String = master
        let after: MultiHostStatus = try await eventuallyValue(deadline: .now + .seconds(60), "a new master after kill -9 of \(master)") {
            let status = try await status()
            guard let stamp = status.lockInt("acquiredAtMillis"), stamp > oldStamp,
                  let next = status.masters.first, next != deadMaster, status.masters.count == 1 else { return nil }
            return status
        }
        let newMaster = try #require(after.masters.first)
        #expect(after.role(master) == "down", "\(after.raw)")
        #expect(after.lock["holderBroker"] as? String == newMaster, "\(after.raw)")
        #expect(after.lock["holderHost"] as? String != masterHost.name)
    }
}
