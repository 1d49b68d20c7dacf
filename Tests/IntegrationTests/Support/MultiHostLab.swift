import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Broker hosts and a jump host as Linux namespaces, each broker host with a real sshd and,
/// when asked, a real ActiveMQ 5.17 broker; the brokers share one KahaDB directory.
///
/// Layout: a switch namespace holds a bridge; every host namespace has one veth to it with
/// an address in 10.213.0.0/24 (which exists only inside these namespaces). Each broker host
/// runs `unshare --pid --fork --mount-proc` so its processes, `/proc` and `/proc/locks` are
/// its own; sshd and the broker are started in it with `nsenter`. amqtop runs in the jump
/// namespace, in a mount namespace where the store is hidden (the jump host does not mount it).
///
/// Cleanup: `shutdown()` kills each host's init (the kernel then kills everything in its pid
/// namespace), deletes the namespaces and the directory; a watchdog does the same if the test
/// process dies first.
actor MultiHostLab {
    let id: String
    let root: String
    let hosts: [MultiHostHost]
    let jumpNamespace: String
    let switchNamespace: String
    private var brokerLaunchers: [String: Process] = [:]
    private var hostInits: [Process] = []
    private var sshdLaunchers: [String: Process] = [:]
    private var watchdog: Process?
    private var helpers: [Process] = []
    private var shutDown = false

    nonisolated var store: String { "\(root)/store" }
    nonisolated var lockFile: String { "\(store)/lock" }
    nonisolated var sshConfig: String { "\(root)/ssh_config" }
    nonisolated var knownHosts: String { "\(root)/known_hosts" }
    nonisolated var userKey: String { "\(root)/user_key" }
    static let jumpAddress = "10.213.0.1"

    /// Why the lab cannot run here (not root, no `ip`/`sshd`), or nil.
    static var problem: String? {
        if getuid() != 0 { return "needs root (network and pid namespaces)" }
        for tool in ["/usr/sbin/ip", "/usr/sbin/sshd", "/usr/bin/ssh-keygen", "/usr/bin/nsenter", "/usr/bin/unshare"]
        where !FileManager.default.isExecutableFile(atPath: tool) {
            return "\(tool) missing (run .ci/setup)"
        }
        return nil
    }

    private init(id: String, root: String, hosts: [MultiHostHost], jump: String, switchNS: String) {
        self.id = id
        self.root = root
        self.hosts = hosts
        self.jumpNamespace = jump
        self.switchNamespace = switchNS
    }

    /// Starts a lab, runs `body` on it, and always shuts it down (also when `body` throws).
    static func withStarted<T: Sendable>(hostCount: Int = 3, _ body: (MultiHostLab) async throws -> T) async throws -> T {
        let lab = try await start(hostCount: hostCount)
        do {
            let result = try await body(lab)
            await lab.shutdown()
            return result
        } catch {
            await lab.shutdown()
            throw error
        }
    }

    /// Builds the network, the hosts and their sshds (brokers come with `startBrokers()`).
    static func start(hostCount: Int = 3) async throws -> MultiHostLab {
        let id = String(UInt32.random(in: 0 ... .max), radix: 16)
        let root = "/tmp/amqtop-mh-\(id)"
        try FileManager.default.createDirectory(atPath: "\(root)/store", withIntermediateDirectories: true)
        let prefix = "amqtr\(id)"
        let switchNS = "\(prefix)-sw", jump = "\(prefix)-j"
        var namespaces = [switchNS, jump]
        let watchdog = try startWatchdog(root: root, prefix: prefix)
        var inits: [Process] = []
        var hosts: [MultiHostHost] = []
        do {
            try await MultiHostShell.run(["/usr/sbin/ip", "netns", "add", switchNS])
            try await MultiHostShell.run(["/usr/sbin/ip", "-n", switchNS, "link", "add", "br0", "type", "bridge"])
            try await MultiHostShell.run(["/usr/sbin/ip", "-n", switchNS, "link", "set", "br0", "up"])
            try await attach(namespace: jump, address: jumpAddress, index: 0, switchNS: switchNS)
            for index in 1...hostCount {
                let namespace = "\(prefix)-h\(index)"
                namespaces.append(namespace)
                let address = "10.213.0.\(10 + index)"
                try await attach(namespace: namespace, address: address, index: index, switchNS: switchNS)
                let directory = "\(root)/amq\(index)"
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                let (initProcess, initPid) = try await startInit(namespace: namespace)
                inits.append(initProcess)
                hosts.append(MultiHostHost(name: "amq\(index)", namespace: namespace, address: address, directory: directory, initPid: initPid))
            }
        } catch {
            for process in inits { kill(process.processIdentifier, SIGKILL) }
            for namespace in namespaces { await MultiHostShell.attempt(["/usr/sbin/ip", "netns", "del", namespace]) }
            try? FileManager.default.removeItem(atPath: root)
            kill(watchdog.processIdentifier, SIGKILL)
            throw error
        }
        let lab = MultiHostLab(id: id, root: root, hosts: hosts, jump: jump, switchNS: switchNS)
        await lab.adopt(inits: inits, watchdog: watchdog)
        do {
            try await lab.writeKeysAndConfig()
            for host in hosts { try await lab.startSSHD(host) }
        } catch {
            await lab.shutdown()
            throw error
        }
        return lab
    }

    private func adopt(inits: [Process], watchdog: Process) {
        hostInits = inits
        self.watchdog = watchdog
    }

    /// The host called `name`.
    nonisolated func host(_ name: String) -> MultiHostHost {
        hosts.first { $0.name == name }!
    }

    // MARK: - Network

    private static func attach(namespace: String, address: String, index: Int, switchNS: String) async throws {
        try await MultiHostShell.run(["/usr/sbin/ip", "netns", "add", namespace])
        try await MultiHostShell.run(["/usr/sbin/ip", "-n", namespace, "link", "set", "lo", "up"])
        // Both ends are made inside namespaces: no interface ever exists in this machine's own.
        try await MultiHostShell.run([
            "/usr/sbin/ip", "-n", namespace, "link", "add", "eth0", "type", "veth", "peer", "name", "p\(index)", "netns", switchNS,
        ])
        try await MultiHostShell.run(["/usr/sbin/ip", "-n", namespace, "addr", "add", "\(address)/24", "dev", "eth0"])
        try await MultiHostShell.run(["/usr/sbin/ip", "-n", namespace, "link", "set", "eth0", "up"])
        try await MultiHostShell.run(["/usr/sbin/ip", "-n", switchNS, "link", "set", "p\(index)", "master", "br0"])
        try await MultiHostShell.run(["/usr/sbin/ip", "-n", switchNS, "link", "set", "p\(index)", "up"])
    }

    /// `unshare --pid --fork --mount-proc` with a reaping shell loop as init, in the host's network namespace; returns it and its child (pid 1 inside).
    private static func startInit(namespace: String) async throws -> (Process, pid_t) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", namespace, "/usr/bin/unshare", "--pid", "--fork", "--mount-proc", "--kill-child",
            // pid 1 inside must reap: orphans (killed sessions, a killed broker's children) end up
            // with it, and a zombie still has a /proc entry that would read as a live process.
            "/bin/sh", "-c", "while :; do sleep 1; done"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let unsharePid = process.processIdentifier
        let child = try await eventuallyValue(deadline: .now + .seconds(10), "the init of \(namespace)") {
            MultiHostShell.children(of: unsharePid).first
        }
        return (process, child)
    }

    // MARK: - SSH

    private func writeKeysAndConfig() async throws {
        try await MultiHostShell.run(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "amqtop-lab", "-f", userKey])
        try FileManager.default.copyItem(atPath: "\(userKey).pub", toPath: "\(root)/authorized_keys")
        var config = ""
        for host in hosts {
            try await MultiHostShell.run(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", host.name, "-f", host.hostKey])
            try host.sshdConfigText(authorizedKeys: "\(root)/authorized_keys").write(toFile: host.sshdConfig, atomically: true, encoding: .utf8)
            config += """
                Host \(host.name)
                  HostName \(host.address)
                  User root
                  IdentityFile \(userKey)
                  IdentitiesOnly yes
                  IdentityAgent none
                  UserKnownHostsFile \(knownHosts)
                  GlobalKnownHostsFile /dev/null
                  StrictHostKeyChecking yes
                  LogLevel ERROR

                """
        }
        try config.write(toFile: sshConfig, atomically: true, encoding: .utf8)
        try knownHostsText(hosts).write(toFile: knownHosts, atomically: true, encoding: .utf8)
    }

    /// known_hosts lines for `hosts`' current keys.
    nonisolated func knownHostsText(_ hosts: [MultiHostHost]) throws -> String {
        try hosts.map { host in
            let key = try String(contentsOfFile: "\(host.hostKey).pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
            return "\(host.address) \(key)\n"
        }.joined()
    }

    /// Starts (or restarts) sshd on `host` and waits until it listens.
    func startSSHD(_ host: MultiHostHost) async throws {
        _ = FileManager.default.createFile(atPath: host.sshdLog, contents: nil)
        let log = FileHandle(forWritingAtPath: host.sshdLog)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        process.arguments = Array(host.enter(["/usr/sbin/sshd", "-D", "-e", "-f", host.sshdConfig]).dropFirst())
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try? log?.close()
        sshdLaunchers[host.name] = process
        try await eventually(deadline: .now + .seconds(10), "sshd listening on \(host.name)") { host.listens(on: 22) }
    }

    /// Kills every sshd on `host` (the listener and each session), as a host whose sshd stopped.
    func stopSSHD(_ host: MultiHostHost) async throws {
        for pid in host.pids(named: "sshd") { kill(pid, SIGKILL) }
        try await eventually(deadline: .now + .seconds(10), "sshd gone on \(host.name)") { host.pids(named: "sshd").isEmpty }
    }

    /// Gives `host` a new host key (sshd restarted with it); known_hosts keeps the old one.
    func rekey(_ host: MultiHostHost) async throws {
        try await stopSSHD(host)
        try? FileManager.default.removeItem(atPath: host.hostKey)
        try? FileManager.default.removeItem(atPath: "\(host.hostKey).pub")
        try await MultiHostShell.run(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "rekeyed", "-f", host.hostKey])
        try await startSSHD(host)
    }

    // MARK: - amqtop on the jump host

    /// Runs amqtop on the jump host (its network namespace, with the store hidden by an empty tmpfs).
    ///
    /// `environment` is added to amqtop's (e.g. `XDG_STATE_HOME`, so its audit log stays in the lab).
    func amqtop(_ arguments: [String], timeout: Duration = .seconds(30), environment: [String: String] = [:]) async throws -> CommandResult {
        let executable = try AMQTopExecutable.path()
        let script = "mount -t tmpfs -o size=1m amqtop-lab-hidden \"$1\" && shift && exec \"$@\""
        let settings = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return try await CommandRunner.run(
            "/usr/sbin/ip",
            ["netns", "exec", jumpNamespace, "/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh", store,
             "/usr/bin/env"] + settings + [executable] + arguments,
            deadline: .now + timeout)
    }

    // MARK: - Brokers

    /// The broker running on `host` (one per host), named after its host's number.
    nonisolated func broker(on host: MultiHostHost) -> ActiveMQBroker {
        ActiveMQBroker(name: "b" + host.name.dropFirst(3), baseDirectory: "\(host.directory)/broker", openWirePort: 61616, jolokiaPort: 8161)
    }

    /// Lays out and starts one broker per host (Jolokia after the broker, loopback only, POST only, `stop` denied).
    func startBrokers(options: ActiveMQGroupOptions) async throws {
        try ActiveMQInstallation.requireInstalled()
        for host in hosts {
            let broker = broker(on: host)
            try ActiveMQBrokerFiles.write(broker, sharedDirectory: store, options: options)
            try Self.jolokiaAccessPolicy.write(toFile: "\(broker.configurationDirectory)/jolokia-access.xml", atomically: true, encoding: .utf8)
        }
        for (index, host) in hosts.enumerated() { try await startBroker(on: host, pidBase: 1000 * (index + 1)) }
    }

    /// Starts `host`'s broker; its pid inside the host is just above `pidBase` (distinct per host, like real machines usually are).
    func startBroker(on host: MultiHostHost, pidBase: Int) async throws {
        let broker = broker(on: host)
        // The next pid the host's namespace hands out: written by a process inside it.
        try await MultiHostShell.run(host.enter(["/bin/sh", "-c", "echo \(pidBase) > /proc/sys/kernel/ns_last_pid"]))
        _ = FileManager.default.createFile(atPath: broker.consoleFile, contents: nil)
        let console = FileHandle(forWritingAtPath: broker.consoleFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        process.arguments = Array(host.enter(
            [ActiveMQInstallation.javaExecutable] + ActiveMQGroup.javaArguments(for: broker, maxHeapMegabytes: 160)).dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: broker.baseDirectory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = console
        process.standardError = console
        try process.run()
        try? console?.close()
        brokerLaunchers[host.name] = process
        let launcher = process.processIdentifier
        let java = try await eventuallyValue(deadline: .now + .seconds(10), "java started on \(host.name)") {
            MultiHostShell.children(of: launcher).first
        }
        guard let inside = MultiHostShell.innermostPid(of: java) else { throw HarnessError.launch("no pid of java on \(host.name)") }
        // As the distribution's start script does: the pid as the broker's own host sees it.
        try "\(inside)\n".write(toFile: broker.pidFile, atomically: true, encoding: .utf8)
    }

    /// The root-namespace pid of `host`'s java, while it runs.
    func javaPid(on host: MultiHostHost) -> pid_t? {
        guard let launcher = brokerLaunchers[host.name], launcher.isRunning else { return nil }
        return MultiHostShell.children(of: launcher.processIdentifier).first
    }

    /// SIGKILL to `host`'s broker JVM.
    func killBroker(on host: MultiHostHost) throws {
        guard let pid = javaPid(on: host) else { throw HarnessError.unknownBroker("no broker running on \(host.name)") }
        kill(pid, SIGKILL)
    }

    /// The policy of the hardened releases (5.19.7, 6.2.6, 6.3.0), as far as Jolokia 1.6 reads it:
    /// POST only, loopback only, and the Broker MBean's `stop` denied.
    static let jolokiaAccessPolicy = """
        <?xml version="1.0" encoding="utf-8"?>
        <restrict>
          <http><method>post</method></http>
          <remote><host>127.0.0.1</host><host>::1</host></remote>
          <deny>
            <mbean>
              <name>org.apache.activemq:type=Broker,brokerName=*</name>
              <operation>stop</operation>
              <operation>stopGracefully</operation>
              <operation>restart</operation>
              <operation>terminateJVM</operation>
            </mbean>
          </deny>
        </restrict>

        """

    /// Starts a helper process of the test (e.g. a lock holder) that `shutdown()` kills with its children.
    func startHelper(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        helpers.append(process)
        return process
    }

    /// Kills a helper and everything it started (its children: `nsenter`/`unshare` fork).
    func stopHelper(_ process: Process) async {
        for child in MultiHostShell.children(of: process.processIdentifier) {
            for grandchild in MultiHostShell.children(of: child) { kill(grandchild, SIGKILL) }
            kill(child, SIGKILL)
        }
        kill(process.processIdentifier, SIGKILL)
        await MultiHostShell.waitForExit(process)
    }

    // MARK: - Cleanup

    /// Kills every process of the lab, deletes its namespaces and its directory. Idempotent.
    func shutdown() async {
        guard !shutDown else { return }
        shutDown = true
        for helper in helpers { await stopHelper(helper) }
        for process in hostInits {
            // --kill-child: the init (and with it the whole pid namespace) dies with unshare.
            kill(process.processIdentifier, SIGKILL)
        }
        for host in hosts { kill(host.initPid, SIGKILL) }
        for process in Array(brokerLaunchers.values) + Array(sshdLaunchers.values) + hostInits {
            await MultiHostShell.waitForExit(process)
        }
        for host in hosts { await MultiHostShell.attempt(["/usr/sbin/ip", "netns", "del", host.namespace]) }
        await MultiHostShell.attempt(["/usr/sbin/ip", "netns", "del", jumpNamespace])
        await MultiHostShell.attempt(["/usr/sbin/ip", "netns", "del", switchNamespace])
        try? FileManager.default.removeItem(atPath: root)
        if let watchdog {
            kill(watchdog.processIdentifier, SIGKILL)
            await MultiHostShell.waitForExit(watchdog)
        }
    }

    /// The shell that cleans up if the test process dies without `shutdown()`.
    private static func startWatchdog(root: String, prefix: String) throws -> Process {
        let script = """
            parent=$1; root=$2; prefix=$3
            alive() { [ -r /proc/$parent/status ] && ! grep -q '^State:[[:space:]]*Z' /proc/$parent/status; }
            while alive; do sleep 1; done
            for ns in $(ip netns list | awk '{print $1}' | grep "^$prefix-"); do
              ip netns pids "$ns" | xargs -r kill -9
              ip netns del "$ns"
            done
            rm -rf "$root"
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "amqtop-multihost-watchdog", String(getpid()), root, prefix]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}
