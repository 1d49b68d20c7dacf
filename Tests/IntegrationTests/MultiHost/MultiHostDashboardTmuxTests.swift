import Foundation
import Testing

extension MultiHostSuites {
    /// The dashboard on the jump host (its network namespace, the store hidden), in tmux,
    /// watching three real ActiveMQ 5.17 brokers on three hosts through one SSH connection each.
    @Suite(
        .serialized,
        .disabled(if: MultiHostLab.problem != nil, "\(MultiHostLab.problem ?? "")"),
        .disabled(if: ActiveMQInstallation.skipRequested, "AMQTOP_SKIP_ACTIVEMQ=1"),
        .disabled(if: TmuxSession.skipped, "tmux is not installed (/usr/bin/tmux)"))
    struct MultiHostDashboardTmuxTests {
        static let poll: Duration = .milliseconds(500)

        @Test(.timeLimit(.minutes(5)))
        func killNineALostHostAndAStopOnScreen() async throws {
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

        /// When the lock file's timestamp first differs from `old` (polled read-only every 10 ms).
        static func waitForNewStamp(_ path: String, old: Int64, deadline: ContinuousClock.Instant) async throws -> ContinuousClock.Instant {
            try await eventuallyValue(deadline: deadline, pollInterval: .milliseconds(10), "a new timestamp in \(path)") {
                (try? LockFileInspector.snapshot(path).timestampMillis).flatMap { $0 != old ? ContinuousClock.now : nil }
            }
        }

        /// How long `?` takes to put the help on screen, `tries` times from the overview (Escape back each time).
        ///
        /// The screen is captured every 5 ms, so the figure is the key's way through tmux and
        /// amqtop, not the capture's cadence.
        static func helpLatencies(_ tmux: TmuxSession, tries: Int = 7) async throws -> [Duration] {
            var latencies: [Duration] = []
            for _ in 0..<tries {
                let sentAt = ContinuousClock.now
                try tmux.sendKeys("?")
                try await tmux.waitForScreen("help on screen", deadline: sentAt + .seconds(5), pollInterval: .milliseconds(5)) { $0.contains("Help: keys") }
                latencies.append(ContinuousClock.now - sentAt)
                try tmux.sendKeys("Escape")
                try await tmux.waitForScreen("the overview again", deadline: .now + .seconds(5)) { !$0.contains("Help: keys") && $0.contains("Hosts (") }
            }
            return latencies.sorted()
        }

        /// A progress line on stderr, so a CI log shows where a slow or stuck run was.
        private func step(_ text: String) {
            FileHandle.standardError.write(Data("[multihost-tmux \(Date())] \(text)\n".utf8))
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
            // The first master, from status (it serves once Slave=false answers through its host).
            let first = try await eventuallyValue(deadline: .now + .seconds(90), "a serving master and two slaves") {
                let status = try MultiHostStatus(try await lab.amqtop(["status", "--json", "--config", configPath]))
                let roles = status.brokers.compactMap { $0["role"] as? String }.sorted()
                let serving = status.masters.first.map { status.evidence($0).contains("Slave=false") } ?? false
                return roles == ["master", "slave", "slave"] && serving ? status : nil
            }
            let oldMaster = try #require(first.masters.first)
            let oldHost = try #require(lab.hosts.first { lab.broker(on: $0).name == oldMaster })

            // amqtop in the jump host's namespaces, the store hidden under an empty tmpfs (as `lab.amqtop`).
            let hide = "mount -t tmpfs -o size=1m amqtop-lab-hidden \"$1\" && shift && exec \"$@\""
            let command = [
                "/usr/sbin/ip", "netns", "exec", lab.jumpNamespace, "/usr/bin/unshare", "--mount", "--propagation", "private",
                "/bin/sh", "-c", hide, "sh", lab.store, try AMQTopExecutable.path(), "--config", configPath,
            ]
            try await TmuxSession.withSession(command, environment: DashboardTmuxTests.utf8Environment, width: 120, height: 40) { tmux in
                step("overview: master and hosts panel")
                try await tmux.waitForScreen("the overview naming \(oldMaster) master, every host connected", deadline: .now + .seconds(30)) {
                    DashboardTmuxTests.overviewRow(of: "mh", in: $0)?.contains("* \(oldMaster)") == true && $0.contains("Hosts (3/3 connected)")
                }
                // The same key with every host answering: the baseline of this machine, now.
                let baseline = try await Self.helpLatencies(tmux)
                try tmux.sendKeys("Enter")
                try await tmux.waitForScreen("the group view: \(oldMaster) master, the others slaves", deadline: .now + .seconds(15)) { screen in
                    let roles = DashboardTmuxTests.brokerRoles(in: screen)
                    return roles[oldMaster] == "* master" && roles.values.filter { $0 == "+ slave" }.count == 2
                        && screen.contains("on \(oldHost.name) = \(oldMaster)")
                }

                step("kill -9 of \(oldMaster)")
                let oldStamp = try LockFileInspector.snapshot(lab.lockFile).timestampMillis
                let killedAt = ContinuousClock.now
                try await lab.killBroker(on: oldHost)
                // The takeover as the store sees it (read-only, from the root namespace) and the screen, at once.
                async let stampSeen = Self.waitForNewStamp(lab.lockFile, old: oldStamp, deadline: killedAt + .seconds(60))
                async let screenSeen = DashboardTmuxTests.waitForScreenMaster(in: tmux, excluding: oldMaster, deadline: killedAt + .seconds(70))
                let stampAt = try await stampSeen
                let (newMaster, screenAt, _) = try await screenSeen
                print("MultiHostDashboardTmuxTests: kill -9 of \(oldMaster): new lock timestamp after \(stampAt - killedAt), "
                    + "screen named \(newMaster) after \(screenAt - killedAt) (screen minus takeover: \(screenAt - stampAt))")
                // Within poll + the takeover: the new master starts serving a few seconds after it
                // takes the lock (KahaDB recovery, transport start); the screen then needs one poll.
                #expect(screenAt - stampAt < Self.poll + .seconds(8), "screen \(screenAt - stampAt) after the lock changed hands")
                // The newer timestamp on screen (a lock age no older than the kill) within a lock poll
                // or two: the read that first names the new holder can still carry the old bytes,
                // when the new master took the lock between reading them and reading the lock table.
                let aged = try await tmux.waitForScreen("a lock age newer than the kill", deadline: screenAt + Self.poll + .seconds(2)) { screen in
                    guard let age = DashboardTmuxTests.lockAgeMillis(in: screen) else { return false }
                    return age <= DashboardTmuxTests.millis(ContinuousClock.now - killedAt)
                }
                print("MultiHostDashboardTmuxTests: newer lock age on screen after \(ContinuousClock.now - killedAt): \(DashboardTmuxTests.lockAgeMillis(in: aged) ?? -1) ms")
                try await tmux.waitForScreen("\(oldMaster) down", deadline: .now + .seconds(15)) {
                    DashboardTmuxTests.brokerRoles(in: $0)[oldMaster] == "x down"
                }
                let afterTakeover = try LockFileFingerprint.read(lab.lockFile)

                step("sshd of the last slave's host stopped")
                let slaveHost = try #require(lab.hosts.first { lab.broker(on: $0).name != newMaster && $0.name != oldHost.name })
                let slave = lab.broker(on: slaveHost).name
                try await lab.stopSSHD(slaveHost)
                try await tmux.waitForScreen("\(slave) unknown", deadline: .now + .seconds(30)) {
                    DashboardTmuxTests.brokerRoles(in: $0)[slave] == "? unknown" && DashboardTmuxTests.brokerRoles(in: $0)[newMaster] == "* master"
                }
                try tmux.sendKeys("Escape")
                let overview = try await tmux.waitForScreen("the hosts panel: \(slaveHost.name) unreachable with ssh's error", deadline: .now + .seconds(15)) { screen in
                    DashboardTmuxTests.line(in: screen) { $0.contains(" \(slaveHost.name) ") && $0.contains("unreachable") }?
                        .contains("Connection refused") == true
                }
                // The last standby is hidden: the verdict is not OK.
                let row = try #require(DashboardTmuxTests.overviewRow(of: "mh", in: overview), "\(overview)")
                #expect(!row.contains(" OK "), "the verdict hides the last standby: \(row)")
                #expect(row.contains("* \(newMaster)"), "\(row)")

                // The other hosts keep updating: the header's poll time moves on, twice.
                var header = try #require(try tmux.capture().split(separator: "\n").first.map(String.init))
                for _ in 0..<2 {
                    let previous = header
                    let next = try await tmux.waitForScreen("the header to move on from \"\(previous)\"", deadline: .now + .seconds(10)) {
                        $0.split(separator: "\n").first.map(String.init) != previous
                    }
                    header = try #require(next.split(separator: "\n").first.map(String.init))
                }
                #expect(try tmux.capture().contains("Hosts (2/3 connected)"))

                // Keys answer at once, the unreachable host notwithstanding: `?` to help on screen.
                let sorted = try await Self.helpLatencies(tmux)
                let median = sorted[sorted.count / 2], baselineMedian = baseline[baseline.count / 2]
                print("MultiHostDashboardTmuxTests: `?` with \(slaveHost.name) unreachable, \(sorted.count) tries: min \(sorted[0]), "
                    + "median \(median), max \(sorted[sorted.count - 1]); every host answering: median \(baselineMedian) "
                    + "(includes tmux send-keys and 5 ms capture polling)")
                // Against this run's own baseline, not a fixed figure: on a loaded machine the way
                // through tmux alone passes 100 ms (at a load average of 15-22 on 2 cores, medians of
                // 92-280 ms with the host lost, and 112-202 ms with every host answering, were seen).
                // A key held behind a round of probes would wait up to its timeout (3 s here).
                #expect(median < baselineMedian + .milliseconds(500), "keys answered in \(sorted), baseline \(baseline)")
                #expect(median < .seconds(1), "keys answered in \(sorted)")

                try await lab.startSSHD(slaveHost)
                try await tmux.waitForScreen("every host connected again", deadline: .now + .seconds(60)) { $0.contains("Hosts (3/3 connected)") }

                // Through the kill's aftermath and the lost host, amqtop changed nothing in the lock file.
                #expect(try LockFileFingerprint.read(lab.lockFile) == afterTakeover, "the lock file changed under amqtop")

                step("stop of \(newMaster) from the dashboard, on its host")
                // The dashboard's stop of a broker with `host:` runs on that host (stop: signal there).
                try tmux.sendKeys("Enter")
                try await tmux.waitForScreen("the group view with \(slave) a slave again", deadline: .now + .seconds(30)) {
                    DashboardTmuxTests.brokerRoles(in: $0)[slave] == "+ slave" && DashboardTmuxTests.brokerRoles(in: $0)[newMaster] == "* master"
                }
                let newHost = try #require(lab.hosts.first { lab.broker(on: $0).name == newMaster })
                let index = try #require(lab.hosts.firstIndex { $0.name == newHost.name })
                for _ in 0..<index { try tmux.sendKeys("j") }
                try await tmux.waitForScreen("\(newMaster) selected") { ActionsAndHistoryTests.selectedBroker(in: $0) == newMaster }
                try tmux.sendKeys("s")
                try await tmux.waitForScreen("the stop dialog for \(newMaster)") { $0.contains("Stop \(newMaster)?") && $0.contains("to confirm") }
                try tmux.type(newMaster)
                try tmux.sendKeys("Enter")
                let sent = try await tmux.waitForScreen(containing: "stop sent", deadline: .now + .seconds(15))
                #expect(sent.contains("stop sent: SIGTERM sent to pid") && sent.contains("on \(newHost.name)"), "\(sent)")
                try tmux.sendKeys("Space")
                try await tmux.waitForScreen("the drill PASSED with \(slave) the new master", deadline: .now + .seconds(60)) {
                    ActionsAndHistoryTests.drillVerdict(in: $0) == "PASSED" && ActionsAndHistoryTests.drillNewMaster(in: $0) == slave
                }
                try await eventually(deadline: .now + .seconds(30), "\(newMaster)'s JVM exits after the SIGTERM on \(newHost.name)") {
                    await lab.javaPid(on: newHost) == nil
                }
                try await DashboardTmuxTests.quitCleanly(tmux)
                // Changed since only by the second takeover: same inode and size, a newer timestamp.
                let end = try LockFileFingerprint.read(lab.lockFile)
                #expect(end.inode == afterTakeover.inode && end.size == afterTakeover.size, "\(afterTakeover) -> \(end)")
                #expect(Array(end.content.dropFirst(8)) == Array(afterTakeover.content.dropFirst(8)), "\(afterTakeover) -> \(end)")
            }
        }
    }
}
