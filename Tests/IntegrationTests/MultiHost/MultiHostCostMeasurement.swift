import AMQTopCore
import AMQTopProbes
import AMQTopRemote
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension MultiHostSuites {
    /// CPU and bytes on the wire of amqtop's SSH probing per host per poll, next to the loop people
    /// script today (`ssh host 'cat /proc/locks; stat ...'` per host per second). Not part of the
    /// normal run: `AMQTOP_MULTIHOST_BENCH=1` (figures printed, and quoted in BENCHMARKS.md).
    @Suite(
        .serialized,
        .disabled(if: MultiHostLab.problem != nil, "\(MultiHostLab.problem ?? "")"),
        .disabled(if: ProcessInfo.processInfo.environment["AMQTOP_MULTIHOST_BENCH"] != "1", "AMQTOP_MULTIHOST_BENCH=1"))
    struct MultiHostCostMeasurement {
        static let rounds = 15

        @Test(.timeLimit(.minutes(10)), arguments: [1, 10, 30])
        func costPerHostPerPoll(hosts: Int) async throws {
            let lab = try await MultiHostLab.start(hostCount: hosts)
            do {
                try await measure(lab, hosts: hosts)
            } catch {
                await lab.shutdown()
                throw error
            }
            await lab.shutdown()
        }

        private func measure(_ lab: MultiHostLab, hosts: Int) async throws {
            let wrapper = "\(lab.root)/ssh-on-jump"
            try "#!/bin/sh\nexec /usr/sbin/ip netns exec \(lab.jumpNamespace) /usr/bin/ssh \"$@\"\n"
                .write(toFile: wrapper, atomically: true, encoding: .utf8)
            chmod(wrapper, 0o700)
            let lockFile = lab.lockFile
            _ = FileManager.default.createFile(atPath: lockFile, contents: Data([0, 0, 1, 0x93, 0, 0, 0, 1]))
            // One group per host, one stock-slave-like broker each: pid file, OpenWire, a silent Jolokia.
            var groups: [GroupConfig] = []
            for host in lab.hosts {
                try "1\n".write(toFile: "\(host.directory)/broker.pid", atomically: true, encoding: .utf8)
                groups.append(GroupConfig(name: "g-\(host.name)", lockFile: lockFile, brokers: [
                    BrokerConfig(
                        name: "b", jolokia: "http://127.0.0.1:8161/api/jolokia", openwire: HostPort(host: "127.0.0.1", port: 61616),
                        pidFile: "\(host.directory)/broker.pid", host: host.name),
                ]))
            }
            let config = AppConfig(
                pollMillis: 1000, timeoutMillis: 3000, groups: groups, sshConfig: lab.sshConfig,
                hosts: lab.hosts.map { HostConfig(name: $0.name, ssh: $0.name) })
            let http = ProbeHTTPClient(connectTimeoutMillis: 3000)
            let prober = try RemoteAwareProber.make(config: config, http: http, sshExecutable: wrapper)
            await prober.connect(timeoutMillis: 10_000)
            _ = await prober.probeAll(config)

            // amqtop: one round per second over every host.
            let sshPids = Self.pids(of: "/usr/bin/ssh", mentioning: lab.sshConfig)
            let selfBefore = Self.selfCPU(), sshBefore = sshPids.map(Self.cpu).reduce(0, +), wireBefore = try await Self.wireBytes(lab)
            for round in 0..<Self.rounds {
                let started = ContinuousClock.now
                _ = await prober.probeAll(config)
                if round < Self.rounds - 1 { try await Task.sleep(until: started + .seconds(1)) }
            }
            let amqtopCPU = (Self.selfCPU() - selfBefore) + (sshPids.map(Self.cpu).reduce(0, +) - sshBefore)
            let amqtopWire = try await Self.wireBytes(lab) - wireBefore
            await prober.close()
            await http.shutdown()

            // The scripted loop: a new ssh per host per second running the same reads.
            let childrenBefore = Self.childrenCPU(), loopWireBefore = try await Self.wireBytes(lab)
            let command = "cat /proc/locks; stat -c '%s %Y %d %i' \(ShellQuote.quote(lockFile)!); od -An -tx1 -N8 \(ShellQuote.quote(lockFile)!); cat /proc/net/tcp; cat \(ShellQuote.quote(lab.hosts[0].directory + "/broker.pid")!)"
            for round in 0..<Self.rounds {
                let started = ContinuousClock.now
                await withTaskGroup(of: Void.self) { tasks in
                    for host in lab.hosts {
                        tasks.addTask {
                            _ = try? await CommandRunner.run(wrapper, ["-F", lab.sshConfig, "-T", "-o", "BatchMode=yes", host.name, command], deadline: .now + .seconds(10))
                        }
                    }
                }
                if round < Self.rounds - 1 { try await Task.sleep(until: started + .seconds(1)) }
            }
            let loopCPU = Self.childrenCPU() - childrenBefore
            let loopWire = try await Self.wireBytes(lab) - loopWireBefore

            let polls = Double(Self.rounds * hosts)
            let window = Double(Self.rounds)
            let line = String(
                format: "MULTIHOST-BENCH hosts=%d amqtop: %.2f%% of a core, %.2f ms CPU and %.0f B per host per poll | ssh loop: %.2f%% of a core, %.2f ms CPU and %.0f B per host per poll | %.1fx less CPU, %.1fx fewer bytes",
                hosts, amqtopCPU / window * 100, amqtopCPU / polls * 1000, Double(amqtopWire) / polls,
                loopCPU / window * 100, loopCPU / polls * 1000, Double(loopWire) / polls,
                loopCPU / max(amqtopCPU, 0.000_001), Double(loopWire) / Double(max(amqtopWire, 1)))
            FileHandle.standardError.write(Data((line + "\n").utf8))
            #expect(amqtopCPU < loopCPU)
        }

        /// CPU seconds of this process so far.
        static func selfCPU() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }

        /// CPU seconds of this process's reaped children so far.
        static func childrenCPU() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_CHILDREN.rawValue, &usage)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }

        /// CPU seconds (user + system) of a live process, from /proc/PID/stat.
        static func cpu(_ pid: pid_t) -> Double {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let tail = stat.split(separator: ")").last else { return 0 }
            let fields = tail.split(separator: " ")
            guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
            return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
        }

        /// Pids whose command line starts with `executable` and mentions `text`.
        static func pids(of executable: String, mentioning text: String) -> [pid_t] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap(pid_t.init).filter { pid in
                guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
                let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
                return line.hasPrefix(executable) && line.contains(text)
            }
        }

        /// Bytes received plus sent by the jump host's interface (everything amqtop says to the hosts).
        static func wireBytes(_ lab: MultiHostLab) async throws -> Int64 {
            let text = try await MultiHostShell.run(["/usr/sbin/ip", "netns", "exec", lab.jumpNamespace, "cat", "/sys/class/net/eth0/statistics/rx_bytes", "/sys/class/net/eth0/statistics/tx_bytes"])
            return text.split(separator: "\n").compactMap { Int64($0) }.reduce(0, +)
        }
    }
}
