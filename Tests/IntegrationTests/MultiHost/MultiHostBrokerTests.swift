import AMQTopCore
import AMQTopProbes
import AMQTopRemote
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension MultiHostSuites {
    /// Three real ActiveMQ 5.17 brokers on three simulated hosts sharing one KahaDB directory,
    /// Jolokia on each host's 127.0.0.1 only (after the broker: silent slaves; POST only; `stop`
    /// denied), watched by amqtop on the jump host, which does not see the store.
    @Suite(
        .serialized,
        .disabled(if: MultiHostLab.problem != nil, "\(MultiHostLab.problem ?? "")"),
        .disabled(if: ActiveMQInstallation.skipRequested, "AMQTOP_SKIP_ACTIVEMQ=1"))
    struct MultiHostBrokerTests {
        @Test(.timeLimit(.minutes(5)))
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

        /// The latest status document, for the message of a wait that times out.
        final class LastStatus: @unchecked Sendable {
            // Written and read by the one test task only.
            var value = ""
        }

        /// A progress line on stderr (unbuffered), so a CI log shows where a slow or stuck run was.
        private func step(_ text: String) {
            FileHandle.standardError.write(Data("[multihost \(Date())] \(text)\n".utf8))
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
            let lastSeen = LastStatus()
            func status() async throws -> MultiHostStatus {
                let status = try MultiHostStatus(try await lab.amqtop(["status", "--json", "--config", configPath]))
                lastSeen.value = status.raw
                return status
            }

            step("One master serving")
            // One master serving, both stock slaves recognised as slaves by their live process on their host.
            let first = try await eventuallyValue(deadline: .now + .seconds(90), "a master and two slaves in status --json: \(lastSeen.value)") {
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

            step("amqtop reads the lock on every host")
            // amqtop reads the lock on every host without changing it.
            let steady = try LockFileFingerprint.read(lab.lockFile)
            _ = try await status()
            _ = try await status()
            #expect(try LockFileFingerprint.read(lab.lockFile) == steady, "the lock file changed under amqtop")

            step("kill -9 of the master")
            // kill -9 of the master's JVM: another broker takes the lock and serves; the timestamp is newer.
            let oldStamp = try #require(first.lockInt("acquiredAtMillis"))
            try await lab.killBroker(on: masterHost)
            let deadMaster: String = master
            let after: MultiHostStatus = try await eventuallyValue(deadline: .now + .seconds(60), "a new master after kill -9 of \(master): \(lastSeen.value)") {
                let status = try await status()
                guard let stamp = status.lockInt("acquiredAtMillis"), stamp > oldStamp,
                      let next = status.masters.first, next != deadMaster, status.masters.count == 1 else { return nil }
                return status
            }
            let newMaster = try #require(after.masters.first)
            #expect(after.role(master) == "down", "\(after.raw)")
            #expect(after.lock["holderBroker"] as? String == newMaster, "\(after.raw)")
            #expect(after.lock["holderHost"] as? String != masterHost.name)

            step("sshd of a slave's host stopped")
            // The sshd of a slave's host stopped: that broker is unknown with the SSH error, never
            // down; the master and its lock keep being read through the other hosts.
            let slaveHost = lab.hosts.first { lab.broker(on: $0).name != newMaster && lab.broker(on: $0).name != deadMaster }!
            let slaveName = lab.broker(on: slaveHost).name
            try await lab.stopSSHD(slaveHost)
            let blind = try await status()
            #expect(blind.role(slaveName) == "unknown", "\(blind.raw)")
            #expect(blind.evidence(slaveName).contains { $0.contains("SSH to \(slaveHost.name)") }, "\(blind.evidence(slaveName))")
            #expect(blind.hostState(slaveHost.name) == "unreachable")
            #expect(blind.role(newMaster) == "master", "\(blind.raw)")
            #expect(blind.lock["holderBroker"] as? String == newMaster)
            // Its last standby cannot be confirmed: the verdict is not OK, and says why.
            #expect(blind.document["status"] as? String != "OK", "\(blind.raw)")
            let alerts = (blind.group["alerts"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            #expect(alerts.contains("NO_STANDBY_CONFIRMED"), "\(alerts)")
            try await lab.startSSHD(slaveHost)
            try await eventually(deadline: .now + .seconds(30), "\(slaveName) a slave again once its sshd is back") {
                try await status().role(slaveName) == "slave"
            }

            step("Stops through the host")
            // Stops through the host, with amqtop's own stopper (its ssh run on the jump host).
            let wrapper = "\(lab.root)/ssh-on-jump"
            try "#!/bin/sh\nexec /usr/sbin/ip netns exec \(lab.jumpNamespace) /usr/bin/ssh \"$@\"\n"
                .write(toFile: wrapper, atomically: true, encoding: .utf8)
            chmod(wrapper, 0o700)
            let config = try ConfigParser(fileName: configPath).parse(String(contentsOfFile: configPath, encoding: .utf8))
            let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
            let prober: RemoteAwareProber
            do {
                prober = try RemoteAwareProber.make(config: config, http: http, sshExecutable: wrapper)
            } catch {
                await http.shutdown()
                throw error
            }
            do {
                try await stops(
                    lab: lab, prober: prober, config: config, newMaster: newMaster, deadMaster: deadMaster, lastSeen: lastSeen, status: status)
            } catch {
                await prober.close()
                await http.shutdown()
                throw error
            }
            await prober.close()
            await http.shutdown()
            #expect(prober.pool.statuses.allSatisfy { $0.state == .closed })
        }

        private func stops(
            lab: MultiHostLab, prober: RemoteAwareProber, config: AppConfig, newMaster: String, deadMaster: String,
            lastSeen: LastStatus, status: () async throws -> MultiHostStatus
        ) async throws {
            await prober.connect(timeoutMillis: config.timeoutMillis)
            var target = try #require(config.groups.first?.broker(named: newMaster))
            let targetHost = lab.host(try #require(target.host))

            step("The hardened policy denies")
            // The hardened policy denies Jolokia's stop: reported as exactly that, with the advice.
            // (Once the new master serves: right after taking the lock its Jolokia is not up yet.)
            try await eventually(deadline: .now + .seconds(60), "\(newMaster) serving: \(lastSeen.value)") {
                try await status().evidence(newMaster).contains("Slave=false")
            }
            target.stop = .jolokia
            let denied = await prober.stopper.stop(target)
            step("denied: \(denied)")
            #expect(denied.word == "refused", "\(denied)")
            #expect(denied.detail.contains("forbid") && denied.detail.contains("stop: signal"), "\(denied)")

            step("stop: signal")
            // stop: signal → SIGTERM on the master's own host; the last slave takes over.
            target.stop = .signal
            let sent = await prober.stopper.stop(target)
            step("sent: \(sent)")
            #expect(sent.word == "sent" && sent.detail.contains("on \(targetHost.name)"), "\(sent)")
            let last: String = try await eventuallyValue(deadline: .now + .seconds(60), "the last broker as master: \(lastSeen.value)") {
                let status = try await status()
                return status.masters.first { $0 != newMaster && $0 != deadMaster }
            }

            step("stop: command")
            // stop: command → run on the host as one quoted word per argument.
            var lastBroker = try #require(config.groups.first?.broker(named: last))
            let lastHost = lab.host(try #require(lastBroker.host))
            let pid = try String(contentsOfFile: lab.broker(on: lastHost).pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            lastBroker.stop = .command(["/bin/kill", "-TERM", pid])
            let ran = await prober.stopper.stop(lastBroker)
            step("ran: \(ran)")
            #expect(ran.word == "sent", "\(ran)")
            try await eventually(deadline: .now + .seconds(30), "\(last)'s JVM exits after the stop command") {
                await lab.javaPid(on: lastHost) == nil
            }
        }
    }
}
