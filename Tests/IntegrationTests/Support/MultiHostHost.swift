import Foundation

/// One simulated broker host: a network namespace, a pid (and mount) namespace with its own
/// `/proc`, and a real sshd inside, so a command run over SSH sees only this host's processes.
struct MultiHostHost: Sendable {
    /// The name amqtop's config uses (`amq1`...).
    let name: String
    /// The network namespace (`ip netns`).
    let namespace: String
    /// The address on the lab's bridge.
    let address: String
    /// This host's directory in the lab (host key, sshd config, broker base).
    let directory: String
    /// The root-namespace pid of the host's init (pid 1 inside); killing it ends everything on the host.
    let initPid: pid_t

    var hostKey: String { "\(directory)/ssh_host_ed25519_key" }
    var sshdConfig: String { "\(directory)/sshd_config" }
    var sshdLog: String { "\(directory)/sshd.log" }

    /// `nsenter` arguments that run a command on this host (its network, pids and /proc).
    func enter(_ command: [String]) -> [String] {
        ["/usr/bin/nsenter", "-t", String(initPid), "-n", "-p", "-m", "--"] + command
    }

    /// The sshd configuration: key authentication only, for the lab's user key, on the bridge address.
    func sshdConfigText(authorizedKeys: String) -> String {
        """
        ListenAddress \(address):22
        HostKey \(hostKey)
        AuthorizedKeysFile \(authorizedKeys)
        PidFile none
        StrictModes no
        UsePAM no
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        PermitRootLogin prohibit-password
        AllowTcpForwarding local
        AllowAgentForwarding no
        X11Forwarding no
        PrintMotd no
        LogLevel INFO

        """
    }

    /// Root-namespace pids of processes on this host whose command name is `comm`.
    func pids(named comm: String) -> [pid_t] {
        guard let hostNS = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(initPid)/ns/pid") else { return [] }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(pid_t.init).filter { pid in
            guard let ns = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/pid"), ns == hostNS,
                  let name = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
            // A zombie is gone already (its parent has not reaped it yet).
            let state = stat.split(separator: ")").last?.split(separator: " ").first
            return name.trimmingCharacters(in: .whitespacesAndNewlines) == comm && state != "Z"
        }
    }

    /// True when root-namespace pid `pid` holds a POSIX lock (this machine's /proc/locks lists every holder).
    func holdsLock(pid: pid_t) -> Bool {
        let text = (try? String(contentsOfFile: "/proc/locks", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return fields.count > 4 && fields[1] == "POSIX" && fields[4] == "\(pid)"
        }
    }

    /// True when something on this host listens on TCP `port` (its own socket table).
    func listens(on port: Int) -> Bool {
        let wanted = String(format: ":%04X ", port)
        let text = (try? String(contentsOfFile: "/proc/\(initPid)/net/tcp", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return fields.count > 3 && fields[3] == "0A" && (fields[1] + " ").hasSuffix(wanted)
        }
    }
}
