import AMQTopCore
import Foundation
import Testing
@testable import AMQTopRemote

/// A host session's framing end to end against a real `/bin/sh`, behind fake `ssh` executables
/// (shell scripts that ignore ssh's arguments): requests made before ssh is spawned, a login
/// that writes to stdout, concurrent first requests on a new connection, and an answer out of turn.
struct HostSessionTests {
    /// Records the session's end for the test to read.
    final class Ends: @unchecked Sendable {
        // Guarded by `lock`.
        private let lock = NSLock()
        private var states: [HostState] = []
        func record(_ state: HostState) { lock.withLock { states.append(state) } }
        var all: [HostState] { lock.withLock { states } }
    }

    private static func waitUntil(_ what: String, deadline: ContinuousClock.Instant = .now + .seconds(20), _ condition: () -> Bool) async throws {
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting for \(what)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The cause of "framing lost" at a dashboard's start: HostConnection publishes a session
    /// before starting it, and a probe's request taken then was written to no process and lost,
    /// so the next request's answer came while it was still first in line. Here the early request
    /// is pending before ssh exists (deterministically); it must be sent after the prelude (its
    /// locale and umask in force) and answered, and the request after it too.
    @Test func aRequestMadeBeforeSshIsSpawnedIsSentAfterThePreludeAndAnswered() async throws {
        let fakes = try FakeSSH()
        defer { fakes.remove() }
        let ends = Ends()
        let session = HostSession(
            host: "fake", commandLine: try fakes.make("ssh", body: "exec /bin/sh"), onFirstReply: {}, onEnd: { ends.record($0) })
        let early = Task { await session.run("echo early; echo \"$LC_ALL\"; umask", timeoutMillis: 10_000) }
        try await Self.waitUntil("the early request pending") { session.pendingIDs == [1] }
        #expect(session.start())
        let second = await session.run("echo second", timeoutMillis: 10_000)
        let first = await early.value
        #expect(try first.get().text == "early\nC\n0077\n", "\(first)")
        #expect(try second.get().text == "second\n", "\(second)")
        #expect(ends.all.isEmpty, "the session ended: \(ends.all)")
        session.close()
        await session.waitUntilExited(timeoutMillis: 2000)
    }

    /// What a login writes to stdout before the shell reads requests (a `.bashrc` that echoes,
    /// without a final newline) is the prelude's output and dropped, never part of a reply.
    @Test func aLoginsOwnOutputIsNoPartOfAnyReply() async throws {
        let fakes = try FakeSSH()
        defer { fakes.remove() }
        let firstReply = Ends()
        let session = HostSession(
            host: "fake", commandLine: try fakes.make("chatty", body: "echo 'Welcome to amq1'; printf 'no newline'; exec /bin/sh"),
            onFirstReply: { firstReply.record(.connected) }, onEnd: { _ in })
        #expect(session.start())
        let reply = await session.run("echo one", timeoutMillis: 10_000)
        #expect(try reply.get().output == Data("one\n".utf8), "\(reply)")
        #expect(try reply.get().status == 0)
        #expect(firstReply.all == [.connected])
        session.close()
        await session.waitUntilExited(timeoutMillis: 2000)
    }

    /// Many probes reaching a new connection at once (a dashboard's first round), on fresh
    /// connections again and again: every request gets its own answer, none breaks the session.
    @Test func concurrentFirstRequestsOnNewConnectionsAreEachAnswered() async throws {
        let fakes = try FakeSSH()
        defer { fakes.remove() }
        let line = try fakes.make("ssh", body: "exec /bin/sh")
        for round in 0..<6 {
            let connection = HostConnection(host: HostConfig(name: "fake", ssh: "fake"), commandLine: line)
            let answers = await withTaskGroup(of: (Int, Result<RemoteReply, RemoteFailure>).self) { tasks in
                for index in 0..<16 {
                    tasks.addTask { (index, await connection.run("echo \(index)", timeoutMillis: 10_000)) }
                }
                var answers: [Int: Result<RemoteReply, RemoteFailure>] = [:]
                for await (index, answer) in tasks { answers[index] = answer }
                return answers
            }
            let wrong = (0..<16).filter { (try? answers[$0]?.get())?.text != "\($0)\n" }
            #expect(wrong.isEmpty, "round \(round): requests \(wrong) not answered with their own output, e.g. \(String(describing: wrong.first.flatMap { answers[$0] }))")
            #expect(connection.status.state == .connected, "round \(round): \(connection.status.state)")
            await connection.close()
        }
    }

    /// The check stays strict: a shell whose answer carries another request's id (here a filter
    /// that renumbers request 2 as 7) ends the session, naming both ids; request 1 was answered.
    @Test func anAnswerOutOfTurnEndsTheSessionNamingBothIDs() async throws {
        let fakes = try FakeSSH()
        defer { fakes.remove() }
        let ends = Ends()
        let renumbering = #"sed -u "s/' '2' \"\$?\"/' '7' \"\$?\"/" | /bin/sh"#
        let session = HostSession(
            host: "fake", commandLine: try fakes.make("renumbering", body: renumbering), onFirstReply: {}, onEnd: { ends.record($0) })
        #expect(session.start())
        let first = await session.run("echo one", timeoutMillis: 10_000)
        #expect(try first.get().text == "one\n", "\(first)")
        let second = await session.run("echo two", timeoutMillis: 10_000)
        let expected = HostState.failed("the remote shell's output could not be read (framing lost: an answer to request 7 while 2 was next)")
        #expect(second == .failure(RemoteFailure(host: "fake", state: expected)), "\(second)")
        #expect(ends.all == [expected])
        await session.waitUntilExited(timeoutMillis: 2000)
    }
}
