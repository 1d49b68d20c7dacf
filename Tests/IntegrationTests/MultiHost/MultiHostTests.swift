import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension MultiHostSuites {
    /// amqtop on a jump host watching brokers on three other hosts through one SSH connection each.
    ///
    /// Every host is a set of namespaces the test makes (see `MultiHostLab`) with a real sshd;
    /// amqtop runs in the jump host's namespaces with the ssh config and known_hosts the lab writes.
    @Suite(.serialized, .disabled(if: MultiHostLab.problem != nil, "\(MultiHostLab.problem ?? "")"))
    struct MultiHostTests {
        /// The amqtop config for `brokers` (name, host, pid file, with endpoint and OpenWire or not).
        static func config(lab: MultiHostLab, lockFile: String, brokers: [(name: String, host: String, pidFile: String, jolokia: Bool)]) -> String {
            func quoted(_ text: String) -> String {
                "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            }
            var lines = [
                "poll: 500ms", "timeout: 3s", "sshConfig: \(quoted(lab.sshConfig))", "hosts:",
            ]
            for host in lab.hosts { lines += ["  - name: \(host.name)", "    ssh: \(host.name)"] }
            lines += [
                "groups:", "  - name: mh", "    lockFile: \(quoted(lockFile))", "    lockKeepAlivePeriod: 2s",
                "    lockAcquireSleepInterval: 1s", "    brokers:",
            ]
            for broker in brokers {
                lines += ["      - name: \(broker.name)", "        host: \(broker.host)", "        pidFile: \(quoted(broker.pidFile))"]
                if broker.jolokia {
                    lines += ["        jolokia: http://127.0.0.1:8161/api/jolokia", "        openwire: tcp://127.0.0.1:61616", "        stop: signal"]
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }

        /// A Python process that takes a POSIX write lock on `path` (as a broker's `tryLock` does) and sleeps.
        static func lockHolder(_ path: String) -> [String] {
            [
                "/usr/bin/python3", "-c",
                "import fcntl,os,sys,time\nf=os.open(sys.argv[1], os.O_RDWR)\nfcntl.lockf(f, fcntl.LOCK_EX|fcntl.LOCK_NB)\ntime.sleep(600)",
                path,
            ]
        }

        /// Whether this machine's lock table lists a lock on `path`'s inode (any holder).
        static func heldInRootNamespace(_ path: String) -> Bool {
            var info = stat()
            guard stat(path, &info) == 0, let text = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return false }
            return text.contains(":\(info.st_ino) ")
        }

        /// Paths with spaces, quotes, `$(...)` and backquotes are read as paths; a holder on one
        /// host is named with its host; a stopped sshd, a changed and an unknown host key each give
        /// their own host state; the lock file is never changed.
        @Test(.timeLimit(.minutes(3)))
        func sshFaultsAndHostilePaths() async throws {
            let lab = try await MultiHostLab.start(hostCount: 2)
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
            let amq1 = lab.host("amq1"), amq2 = lab.host("amq2")
            let canary = "\(lab.root)/pwned"
            let hostile = "\(lab.root)/amq1/a b/it's \"$(touch \(canary))\" `touch \(canary)` ;touch \(canary)"
            try FileManager.default.createDirectory(atPath: hostile, withIntermediateDirectories: true)
            // Pid 1 on amq1 is its init: alive, as seen from amq1 only.
            try "1\n".write(toFile: "\(hostile)/activemq.pid", atomically: true, encoding: .utf8)
            let lockDirectory = "\(lab.store)/kaha $(touch \(canary))"
            try FileManager.default.createDirectory(atPath: lockDirectory, withIntermediateDirectories: true)
            let lockFile = "\(lockDirectory)/lock"
            let stamp: Int64 = 1_764_547_200_123
            let bytes = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(stamp) >> (56 - 8 * $0)) }
            _ = FileManager.default.createFile(atPath: lockFile, contents: Data(bytes))

            // A process on amq2 holds a POSIX write lock, as a master would; its pid file names it.
            try await MultiHostShell.run(amq2.enter(["/bin/sh", "-c", "echo 2000 > /proc/sys/kernel/ns_last_pid"]))
            let locker = try await lab.startHelper(amq2.enter(Self.lockHolder(lockFile)))
            let lockerPid = try await eventuallyValue(deadline: .now + .seconds(10), "the lock holder on amq2") { () -> pid_t? in
                guard let pid = MultiHostShell.children(of: locker.processIdentifier).first, amq2.holdsLock(pid: pid) else { return nil }
                return MultiHostShell.innermostPid(of: pid)
            }
            try "\(lockerPid)\n".write(toFile: "\(amq2.directory)/b2.pid", atomically: true, encoding: .utf8)
            let before = try LockFileFingerprint.read(lockFile)

            let configPath = "\(lab.root)/amqtop.yaml"
            try Self.config(lab: lab, lockFile: lockFile, brokers: [
                ("b1", "amq1", "\(hostile)/activemq.pid", false), ("b2", "amq2", "\(amq2.directory)/b2.pid", false),
            ]).write(toFile: configPath, atomically: true, encoding: .utf8)

            var status = try MultiHostStatus(try await lab.amqtop(["status", "--json", "--config", configPath]))
            #expect(status.hostState("amq1") == "connected", "\(status.raw)")
            #expect(status.hostState("amq2") == "connected", "\(status.raw)")
            #expect((status.host("amq1")?["roundTripMillis"] as? NSNumber) != nil)
            #expect(status.process("b1")?["state"] as? String == "alive", "\(status.raw)")
            #expect((status.process("b1")?["pid"] as? NSNumber)?.int32Value == 1)
            #expect(status.lock["state"] as? String == "ok", "\(status.raw)")
            #expect(status.lockInt("acquiredAtMillis") == stamp)
            // The mount under the file as the hosts see it (findmnt there), for the filesystem hazards.
            #expect(((status.lock["filesystem"] as? [String: Any])?["type"] as? String)?.isEmpty == false, "\(status.raw)")
            #expect(status.lock["holderHost"] as? String == "amq2", "\(status.raw)")
            #expect(status.lockInt("holderPid") == Int64(lockerPid))
            #expect(status.lock["holderBroker"] as? String == "b2")
            #expect(!FileManager.default.fileExists(atPath: canary), "a config value was executed as shell code")

            // The holder gone, and the lock held instead by a process no host can see (its own pid
            // namespace, like a crashed NFSv3 client's lock on the server): every host sees it held
            // (F_GETLK), no host's table lists it, no broker serves: the stuck lock.
            await lab.stopHelper(locker)
            let orphan = try await lab.startHelper(["/usr/bin/unshare", "--pid", "--fork", "--mount-proc"] + Self.lockHolder(lockFile))
            try await eventually(deadline: .now + .seconds(10), "the orphan lock holder") { Self.heldInRootNamespace(lockFile) }
            status = try MultiHostStatus(try await lab.amqtop(["status", "--json", "--config", configPath]))
            #expect(status.lock["holder"] as? String == "elsewhere", "\(status.raw)")
            // An alert of the group like every other: in its `alerts`, in the text, in the verdict.
            let stuck = status.group["alerts"] as? [[String: Any]] ?? []
            #expect(stuck.contains { $0["code"] as? String == "STUCK_LOCK" && $0["severity"] as? String == "CRITICAL" }, "\(status.raw)")
            #expect(status.document["status"] as? String == "CRITICAL")
            let text = try await lab.amqtop(["status", "--config", configPath])
            #expect(text.exitCode == 2)
            #expect(text.stdout.contains("HOSTS") && text.stdout.contains("STUCK_LOCK"), "\(text.stdout)")

            // sshd of amq2 gone: its broker is unknown with the SSH error, never down; amq1 unaffected.
            try await lab.stopSSHD(amq2)
            let started = ContinuousClock.now
            status = try MultiHostStatus(try await lab.amqtop(["status", "--json", "--config", configPath]))
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(status.hostState("amq2") == "unreachable", "\(status.raw)")
            #expect(status.hostError("amq2")?.contains("Connection refused") == true, "\(status.raw)")
            #expect(status.role("b2") == "unknown", "\(status.raw)")
            #expect(status.process("b2")?["state"] as? String == "unreachable", "\(status.raw)")
            #expect(status.evidence("b2").contains { $0.contains("SSH to amq2") }, "\(status.evidence("b2"))")
            #expect(status.hostState("amq1") == "connected")
            #expect(status.process("b1")?["state"] as? String == "alive")
            #expect(status.lock["holder"] as? String == "unknown", "\(status.raw)")
            let alerts = (status.group["alerts"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            #expect(!alerts.contains("STUCK_LOCK"), "not stuck: a host is out of reach: \(alerts)")

            // amq1 re-keyed: refused, and said so.
            try await lab.rekey(amq1)
            status = try MultiHostStatus(try await lab.amqtop(["status", "--json", "--config", configPath]))
            #expect(status.hostState("amq1") == "hostKeyChanged", "\(status.raw)")
            #expect(status.hostError("amq1")?.contains("host key changed") == true, "\(status.raw)")
            #expect(status.role("b1") == "unknown")

            // amq1 not in known_hosts at all: refused too (ssh's default under BatchMode; no accept-new).
            try lab.knownHostsText([amq2]).write(toFile: lab.knownHosts, atomically: true, encoding: .utf8)
            status = try MultiHostStatus(try await lab.amqtop(["status", "--json", "--config", configPath]))
            #expect(status.hostState("amq1") == "hostKeyUnknown", "\(status.raw)")
            let knownHosts = try String(contentsOfFile: lab.knownHosts, encoding: .utf8)
            #expect(!knownHosts.contains(amq1.address), "amqtop must never add a host key")

            #expect(try LockFileFingerprint.read(lockFile) == before, "the lock file changed")
            #expect(!FileManager.default.fileExists(atPath: canary))
            await lab.stopHelper(orphan)
        }
    }
}
