import AMQTopCore
import AMQTopRemote
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension MultiHostSuites {
    /// amqtop's SSH sessions against real sshds in the lab: replies are framed exactly whatever a
    /// remote file contains, a hung host times out alone while another keeps answering, and a
    /// timed-out host reconnects after its backoff. The ssh client runs in the jump host's
    /// namespace through a wrapper; this process talks to it over its pipes.
    @Suite(.serialized, .disabled(if: MultiHostLab.problem != nil, "\(MultiHostLab.problem ?? "")"))
    struct HostConnectionTests {
        @Test(.timeLimit(.minutes(2)))
        func framingHungHostAndReconnect() async throws {
            let lab = try await MultiHostLab.start(hostCount: 2)
            do {
                try await run(lab)
            } catch {
                await lab.shutdown()
                throw error
            }
            await lab.shutdown()
        }

        private func run(_ lab: MultiHostLab) async throws {
            let wrapper = "\(lab.root)/ssh-on-jump"
            try "#!/bin/sh\nexec /usr/sbin/ip netns exec \(lab.jumpNamespace) /usr/bin/ssh \"$@\"\n"
                .write(toFile: wrapper, atomically: true, encoding: .utf8)
            chmod(wrapper, 0o700)
            let config = AppConfig(
                timeoutMillis: 2000, sshConfig: lab.sshConfig,
                hosts: lab.hosts.map { HostConfig(name: $0.name, ssh: $0.name) })
            let pool = try HostPool(config: config, sshExecutable: wrapper)
            do {
                try await exercise(pool, lab: lab)
            } catch {
                await pool.close()
                throw error
            }
            await pool.close()
            #expect(pool.statuses.allSatisfy { $0.state == .closed })
            // No ssh of the pool is left running.
            try await eventually(deadline: .now + .seconds(5), "every ssh of the pool gone") {
                !Self.processes(mentioning: lab.sshConfig).contains { $0.contains("/usr/bin/ssh") }
            }
        }

        private func exercise(_ pool: HostPool, lab: MultiHostLab) async throws {
            let amq1 = try #require(pool.connection("amq1")), amq2 = try #require(pool.connection("amq2"))
            // A dashboard's first round: many probes reach a host's new session at once, before
            // ssh is spawned. Each gets its own answer (a request taken then was once lost, and
            // the next answer broke the session as "framing lost").
            let first = await withTaskGroup(of: (Int, String?).self) { tasks in
                for index in 0..<12 {
                    tasks.addTask { (index, (try? await amq1.run("echo \(index)", timeoutMillis: 5000).get())?.text) }
                }
                var answers: [Int: String] = [:]
                for await (index, text) in tasks { answers[index] = text }
                return answers
            }
            #expect((0..<12).allSatisfy { first[$0] == "\($0)\n" }, "\(first) \(amq1.status.state)")
            await pool.connectAll(timeoutMillis: 5000)
            #expect(pool.statuses.map(\.state) == [.connected, .connected], "\(pool.statuses)")

            // A file that looks like frame markers (any nonce but the session's), binary bytes, no final newline.
            var hostile = Data("line\n00000000000000000000000000000000:1:0\n:2:0\n".utf8)
            hostile.append(contentsOf: [0, 255, 10, 13, 0x27, 0x24])
            let file = "\(lab.root)/amq1/it's a \"file\" $(x)"
            _ = FileManager.default.createFile(atPath: file, contents: hostile)
            guard let quoted = ShellQuote.quote(file) else { Issue.record("unquotable"); return }
            let reply = try await amq1.run("cat -- \(quoted)", timeoutMillis: 2000).get()
            #expect(reply.output == hostile)
            #expect(reply.status == 0)
            let failed = try await amq1.run("cat -- '/nonexistent'", timeoutMillis: 2000).get()
            #expect(failed.status == 1)
            #expect(failed.text.contains("No such file"))
            let large = try await amq1.run("head -c 1048576 /dev/zero", timeoutMillis: 5000).get()
            #expect(large.output.count == 1_048_576)

            // A broker log followed on amq2 through its session (`brokerLog:` of a broker with `host:`):
            // from its end, then a log4j-style rotation with an unfinished line left in the old file.
            let log = "\(lab.host("amq2").directory)/activemq.log"
            try "before\n".write(toFile: log, atomically: true, encoding: .utf8)
            let tail = RemoteLogTail(host: "amq2", path: log, connection: amq2, timeoutMillis: 2000)
            #expect(await tail.refresh() == [])
            try "before\nafter\nunfinished".write(toFile: log, atomically: false, encoding: .utf8)
            #expect(rename(log, log + ".1") == 0)
            try "new\n".write(toFile: log, atomically: true, encoding: .utf8)
            #expect(await tail.refresh() == ["after", "unfinished", "new"])

            // amq1 hangs (a stuck NFS stat would): only amq1's request times out; amq2 keeps answering fast.
            async let hung = amq1.run("sleep 30", timeoutMillis: 1500)
            let started = ContinuousClock.now
            for _ in 0..<3 {
                let before = ContinuousClock.now
                let answer = try await amq2.run("echo ok", timeoutMillis: 2000).get()
                #expect(answer.text == "ok\n")
                #expect(ContinuousClock.now - before < .milliseconds(700))
            }
            let result = await hung
            #expect(ContinuousClock.now - started < .seconds(3))
            guard case .failure(let failure) = result else { Issue.record("the hung request answered"); return }
            #expect(failure.state.code == "timedOut", "\(failure)")
            #expect(amq1.status.state.code == "timedOut")
            #expect(amq2.status.state == .connected)

            // During the backoff a request fails at once with the state; after it, the host is back.
            let quick = ContinuousClock.now
            if case .success = await amq1.run(":", timeoutMillis: 2000) { Issue.record("answered during the backoff") }
            #expect(ContinuousClock.now - quick < .milliseconds(100))
            try await eventually(deadline: .now + .seconds(10), "amq1 reconnected") {
                if case .success = await amq1.run(":", timeoutMillis: 2000) { return true }
                return false
            }
            #expect(amq1.status.state == .connected)
        }

        /// Command lines of this machine's processes that mention `text`.
        static func processes(mentioning text: String) -> [String] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap(pid_t.init).compactMap { pid in
                guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
                let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
                return line.contains(text) ? line : nil
            }
        }
    }
}
