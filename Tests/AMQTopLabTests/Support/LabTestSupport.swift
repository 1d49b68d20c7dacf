import AMQTopLab
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Shared helpers for tests that run real lab-broker processes.
enum LabTestSupport {
    /// The `amqtop` binary built beside this test bundle.
    static func amqtopExecutable() throws -> String {
        let me = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let path = URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("amqtop").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw LabError.invalid("amqtop binary not found at \(path); build the package first")
        }
        return path
    }

    /// Options for a test group: 1 s acquire interval and 2 s keep-alive, as FACTS.md measured.
    static func options(
        brokers: Int = 3, keepAliveMillis: Int64 = 2000, acquireMillis: Int64 = 1000, silentSlaves: Bool = false,
        respawnMillis: Int64? = nil, password: String? = nil
    ) throws -> LabGroupOptions {
        LabGroupOptions(
            brokerCount: brokers,
            lockKeepAlivePeriodMillis: keepAliveMillis,
            lockAcquireSleepIntervalMillis: acquireMillis,
            silentSlaves: silentSlaves,
            respawnDelayMillis: respawnMillis,
            password: password,
            executablePath: try amqtopExecutable()
        )
    }

    /// Runs `body` with a started group and always stops it (and removes its directory) afterwards.
    static func withGroup<T>(_ options: LabGroupOptions, _ body: (LabGroup) async throws -> T) async throws -> T {
        let group = try LabGroup(options: options)
        do {
            try await group.start()
            let result = try await body(group)
            await group.stop()
            try? FileManager.default.removeItem(atPath: group.directory)
            return result
        } catch {
            await group.stop()
            for broker in group.brokers {
                let log = (try? String(contentsOfFile: group.logPath(of: broker.name), encoding: .utf8)) ?? ""
                print("--- \(broker.name).log\n\(log)")
            }
            try? FileManager.default.removeItem(atPath: group.directory)
            throw error
        }
    }

    /// Polls `condition` every 25 ms until it holds or `timeout` passes; true when it held.
    static func waitUntil(_ timeout: Duration, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return try await condition()
    }

    /// The brokers whose OpenWire port accepts connections: the masters, by the independent signal.
    static func openWireMasters(_ group: LabGroup) -> [LabBrokerConfiguration] {
        group.brokers.filter { RawHTTP.accepts(port: $0.openWirePort) }
    }

    /// Waits until exactly one broker serves OpenWire and returns it.
    static func waitForSingleMaster(_ group: LabGroup, timeout: Duration = .seconds(10), excluding: String? = nil)
        async throws -> LabBrokerConfiguration
    {
        var found: LabBrokerConfiguration?
        let settled = await waitUntil(timeout) {
            let masters = openWireMasters(group)
            guard masters.count == 1, masters[0].name != excluding else { return false }
            found = masters[0]
            return true
        }
        guard settled, let found else {
            throw LabError.invalid("no single master within \(timeout): \(openWireMasters(group).map(\.name))")
        }
        return found
    }

    /// Waits until one broker serves OpenWire and every other one has tried the lock and
    /// logged that it waits as a slave. Until then a late-starting broker could take a
    /// released lock on its first try and skip the keep-alive wait, as ActiveMQ would.
    static func waitForSettledGroup(_ group: LabGroup, timeout: Duration = .seconds(10)) async throws
        -> LabBrokerConfiguration
    {
        let master = try await waitForSingleMaster(group, timeout: timeout)
        let settled = await waitUntil(timeout) {
            group.brokers.filter { $0.name != master.name }.allSatisfy { slave in
                let log = (try? String(contentsOfFile: group.logPath(of: slave.name), encoding: .utf8)) ?? ""
                return log.contains("This broker is now in slave mode waiting a lock to be acquired")
            }
        }
        guard settled, openWireMasters(group).map(\.name) == [master.name] else {
            throw LabError.invalid("the group did not settle with \(master.name) as its only master")
        }
        return master
    }

    /// Reads the `Slave` attribute of `broker` over Jolokia; nil when it does not answer.
    static func slaveAttribute(_ broker: LabBrokerConfiguration, authorization: String? = nil) -> Bool? {
        let path = "/api/jolokia/read/org.apache.activemq:type=Broker,brokerName=\(broker.name)/Slave"
        guard let response = try? RawHTTP.send(port: broker.jolokiaPort, path: path, authorization: authorization)
        else { return nil }
        return response.json?["value"]?.boolValue
    }

    /// The pid holding a POSIX write lock on `path`'s inode, from /proc/locks.
    static func lockHolderPid(path: String) -> Int32? {
        var info = stat()
        // Read to EOF: String(contentsOfFile:) stops after 4 KiB of a /proc file, and a busy
        // machine lists more locks than fit in that.
        guard stat(path, &info) == 0, let data = FileHandle(forReadingAtPath: "/proc/locks")?.readDataToEndOfFile() else {
            return nil
        }
        let table = String(decoding: data, as: UTF8.self)
        for line in table.split(separator: "\n") where line.contains("POSIX") && line.contains("WRITE") && !line.contains("->") {
            let fields = line.split(separator: " ")
            guard fields.count >= 6 else { continue }
            let inodeField = fields[5].split(separator: ":")
            if inodeField.count == 3, UInt64(inodeField[2]) == UInt64(info.st_ino) {
                return Int32(fields[4])
            }
        }
        return nil
    }

    /// Milliseconds since the epoch.
    static func nowMillis() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }

    /// SIGKILLs `pid` only if it still is a lab broker, so a recycled pid is never hit.
    static func killIfLabBroker(_ pid: Int32) {
        guard let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
            String(decoding: command, as: UTF8.self).contains("lab-broker")
        else { return }
        kill(pid, SIGKILL)
    }

    /// True while a process with `pid` exists (and is not a zombie we reaped).
    static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0
    }
}
