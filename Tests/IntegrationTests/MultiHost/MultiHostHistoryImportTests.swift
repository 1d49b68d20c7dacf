import Foundation
import Testing

extension MultiHostSuites {
    /// `amqtop history import HOST:PATH` and `amqtop init HOST:PATH` from the jump host: the
    /// brokers' files sit in the store the jump host cannot see, so they can only come through
    /// amq1's SSH session (logs plain and gzip; an activemq.xml).
    @Suite(.serialized, .disabled(if: MultiHostLab.problem != nil, "\(MultiHostLab.problem ?? "")"))
    struct MultiHostHistoryImportTests {
        static let b1Log = """
            2026-12-01 09:00:01,000 | INFO  | Apache ActiveMQ 5.17.2 (b1, ID:amq1-1-1-0:1) started | org.apache.activemq.broker.BrokerService | main
            2026-12-01 09:00:20,000 | INFO  | Apache ActiveMQ 5.17.2 (b1, ID:amq1-1-1-0:1) is shutting down | org.apache.activemq.broker.BrokerService | main
            2026-12-01 09:00:20,040 | INFO  | Apache ActiveMQ 5.17.2 (b1, ID:amq1-1-1-0:1) is shutdown | org.apache.activemq.broker.BrokerService | main

            """
        static let b2Log = """
            2026-12-01 09:00:00,500 | INFO  | Database /srv/mh/lock is locked by another server. This broker is now in slave mode waiting a lock to be acquired | org.apache.activemq.store.SharedFileLocker | main
            2026-12-01 09:00:22,000 | INFO  | Apache ActiveMQ 5.17.2 (b2, ID:amq1-2-1-0:1) started | org.apache.activemq.broker.BrokerService | main

            """

        static let activemqXML = """
            <beans xmlns="http://www.springframework.org/schema/beans">
              <broker xmlns="http://activemq.apache.org/schema/core" brokerName="b1">
                <persistenceAdapter>
                  <kahaDB directory="/srv/mh" lockKeepAlivePeriod="2000"><locker><shared-file-locker lockAcquireSleepInterval="1000"/></locker></kahaDB>
                </persistenceAdapter>
                <transportConnectors><transportConnector name="openwire" uri="tcp://0.0.0.0:61616"/></transportConnectors>
              </broker>
            </beans>
            """

        @Test(.timeLimit(.minutes(2)))
        func importReadsLogsOnTheHostThroughItsSession() async throws {
            try await MultiHostLab.withStarted(hostCount: 1) { lab in try await run(lab) }
        }

        private func run(_ lab: MultiHostLab) async throws {
            try Self.b1Log.write(toFile: "\(lab.store)/b1.log", atomically: true, encoding: .utf8)
            try Self.b2Log.write(toFile: "\(lab.store)/b2.log.1", atomically: true, encoding: .utf8)
            try await MultiHostShell.run(["/bin/gzip", "\(lab.store)/b2.log.1"])
            let config = "\(lab.root)/amqtop-import.yaml"
            try MultiHostTests.config(lab: lab, lockFile: "/srv/mh/lock", brokers: [
                ("b1", "amq1", "\(lab.store)/b1.pid", false), ("b2", "amq1", "\(lab.store)/b2.pid", false),
            ]).write(toFile: config, atomically: true, encoding: .utf8)
            let history = "\(lab.root)/history.sqlite"
            let common = ["history", "import", "--config", config, "--history", history, "--timezone", "UTC"]

            // From the jump host the store is hidden: a local path does not reach it.
            let local = try await lab.amqtop(common + ["\(lab.store)/b1.log"])
            #expect(local.exitCode == 1 && local.stderr.contains("\(lab.store)/b1.log: No such file"), "\(local.stdout)\n\(local.stderr)")

            let remote = try await lab.amqtop(common + ["amq1:\(lab.store)/b1.log", "amq1:\(lab.store)/b2.log.1.gz", "amq1:/no/such.log"])
            #expect(remote.exitCode == 1, "\(remote.stdout)\n\(remote.stderr)")
            #expect(remote.stdout.contains("mh: 1 takeovers in 2 tenures (shutdown 1): 0 matched live records, 0 already imported, 1 added"),
                    "\(remote.stdout)\n\(remote.stderr)")
            #expect(remote.stdout.contains("read 2 of 3 files, 5 lines, 0 not in the log pattern"), "\(remote.stdout)")
            #expect(remote.stderr.contains("amq1:/no/such.log: not a readable regular file"), "\(remote.stderr)")

            // init: the XML read on amq1 gives a config whose broker is watched through amq1.
            let conf = "\(lab.store)/b1/conf"
            try FileManager.default.createDirectory(atPath: conf, withIntermediateDirectories: true)
            try Self.activemqXML.write(toFile: "\(conf)/activemq.xml", atomically: true, encoding: .utf8)
            let generated = try await lab.amqtop(["init", "--config", config, "amq1:\(conf)/activemq.xml"])
            #expect(generated.exitCode == 0, "\(generated.stdout)\n\(generated.stderr)")
            for line in [#"hosts:"#, #"  - name: "amq1""#, #"    ssh: "amq1""#, #"    lockFile: "/srv/mh/lock""#, #"        host: "amq1""#,
                         #"        brokerName: "b1""#, "    lockKeepAlivePeriod: 2s", "    lockAcquireSleepInterval: 1s"] {
                #expect(generated.stdout.contains(line + "\n"), "no \(line) in:\n\(generated.stdout)")
            }
            // The generated file is one `status` takes: the group, its lock and amq1's connection.
            let generatedConfig = "\(lab.root)/amqtop-generated.yaml"
            try ("sshConfig: \"\(lab.sshConfig)\"\n" + generated.stdout).write(toFile: generatedConfig, atomically: true, encoding: .utf8)
            let status = try MultiHostStatus(try await lab.amqtop(["status", "--json", "--config", generatedConfig]))
            #expect(status.hostState("amq1") == "connected", "\(status.raw)")
            #expect(status.raw.contains("/srv/mh/lock"), "\(status.raw)")
            let missing = try await lab.amqtop(["init", "--config", config, "amq1:\(conf)/nothing.xml"])
            #expect(missing.exitCode == 3 && missing.stderr.contains("amq1:\(conf)/nothing.xml: not a readable regular file"), "\(missing.stderr)")

            let listed = try await lab.amqtop(["history", "--history", history, "--json"])
            let document = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any]
            let failovers = document?["failovers"] as? [[String: Any]] ?? []
            #expect(failovers.map { $0["causeDetail"] as? String } == ["b1 shut down cleanly"], "\(listed.stdout)")
            #expect(failovers.map { $0["source"] as? String } == ["log"], "\(listed.stdout)")

            try await driftLive(lab, conf: conf)
        }

        /// Drift, live: `brokerXml:` on a broker with `host: amq1` is read through amq1's session
        /// (the jump host cannot see the file); its keep-alive differs from amqtop.yaml's. With
        /// amq1's sshd stopped, the file is unreadable and the alert names amq1, without a hang.
        private func driftLive(_ lab: MultiHostLab, conf: String) async throws {
            let xml = "\(conf)/activemq-drift.xml"
            try Self.activemqXML.replacingOccurrences(of: #"lockKeepAlivePeriod="2000""#, with: #"lockKeepAlivePeriod="5000""#)
                .write(toFile: xml, atomically: true, encoding: .utf8)
            let config = "\(lab.root)/amqtop-drift.yaml"
            try MultiHostTests.config(lab: lab, lockFile: "/srv/mh/lock", brokers: [("b1", "amq1", "\(lab.store)/b1.pid", false)])
                .replacingOccurrences(of: "        host: amq1\n", with: "        host: amq1\n        brokerXml: \"\(xml)\"\n")
                .write(toFile: config, atomically: true, encoding: .utf8)
            func fileAlerts() async throws -> (MultiHostStatus, [[String: Any]]) {
                let status = try MultiHostStatus(try await lab.amqtop(["status", "--json", "--config", config]))
                let alerts = (status.group["alerts"] as? [[String: Any]] ?? []).filter { ($0["code"] as? String)?.hasPrefix("BROKER_FILE") == true }
                return (status, alerts)
            }
            let (status, drifted) = try await fileAlerts()
            #expect(status.hostState("amq1") == "connected", "\(status.raw)")
            #expect(drifted.map { $0["code"] as? String } == ["BROKER_FILE_DRIFT"], "\(status.raw)")
            let message = drifted.first?["message"] as? String ?? ""
            #expect(message.contains("b1 runs with lockKeepAlivePeriod 5s (amqtop.yaml 2s) per amq1:\(xml)"), "\(message)")

            try await lab.stopSSHD(lab.host("amq1"))
            let started = ContinuousClock.now
            let (down, unreadable) = try await fileAlerts()
            #expect(ContinuousClock.now - started < .seconds(20), "status took \(ContinuousClock.now - started)")
            #expect(unreadable.map { $0["code"] as? String } == ["BROKER_FILE_UNREADABLE"], "\(down.raw)")
            let reason = unreadable.first?["message"] as? String ?? ""
            #expect(reason.contains("amq1:\(xml)") && reason.contains("SSH to amq1"), "\(reason)")
        }
    }
}
