import AMQTopCore
import Foundation
import Testing

@testable import AMQTopProbes

/// The TCP port probe and the pid-file probe against real sockets and processes.
@Suite struct PortAndPidProbeTests {
    @Test func listeningPortIsOpen() async throws {
        let (fd, port) = try TestHTTPServer.listen()
        defer { close(fd) }
        let observation = await PortProbe(timeoutMillis: 1000).probe(HostPort(host: "127.0.0.1", port: port))
        #expect(observation.state == .open)
    }

    @Test func closedPortIsRefused() async throws {
        let port = try TestHTTPServer.refusedPort()
        let (observation, elapsed) = await Waiting.timed { await PortProbe(timeoutMillis: 30_000).probe(HostPort(host: "127.0.0.1", port: port)) }
        #expect(observation.state == .refused)
        // Reported at once, not at the 30 s deadline.
        #expect(elapsed < 10_000, "took \(elapsed) ms")
    }

    @Test func unresolvableHostIsAnError() async {
        // `.invalid` is reserved (RFC 6761); the resolver answers without the network.
        let observation = await PortProbe(timeoutMillis: 1000).probe(HostPort(host: "no-such-host.invalid", port: 61616))
        #expect(observation.state.code == "error" || observation.state == .timeout)
    }

    @Test func ownPidIsAlive() throws {
        let directory = try TemporaryDirectory()
        try "\(getpid())\n".write(toFile: directory.path + "/pid", atomically: false, encoding: .utf8)
        let observation = PidProbe.read(pidFile: directory.path + "/pid")
        #expect(observation.state == .alive)
        #expect(observation.pid == getpid())
    }

    @Test func exitedProcessIsDead() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        _ = await Waiting.until(millis: 10_000) { !process.isRunning }
        let directory = try TemporaryDirectory()
        try "\(process.processIdentifier)".write(toFile: directory.path + "/pid", atomically: false, encoding: .utf8)
        let observation = await PidProbe(timeoutMillis: 1000).probe(pidFile: directory.path + "/pid")
        #expect(observation.state == .dead)
    }

    @Test func missingAndGarbagePidFiles() throws {
        let directory = try TemporaryDirectory()
        #expect(PidProbe.read(pidFile: directory.path + "/none").state == .noPidFile)
        try "java\n".write(toFile: directory.path + "/pid", atomically: false, encoding: .utf8)
        #expect(PidProbe.read(pidFile: directory.path + "/pid").state == .unreadable("no pid in the file"))
        #expect(PidProbe.observation(pidText: "-5", atMillis: 0, isAlive: { _ in true }).state.self == .unreadable("no pid in the file"))
        #expect(PidProbe.observation(pidText: " 77 \n", atMillis: 0, isAlive: { $0 == 77 }).state == .alive)
    }
}
