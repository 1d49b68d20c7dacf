/// The `ssh` argument list for one host's long-lived session.
///
/// Forced, whatever the ssh config says: `BatchMode=yes` (never a prompt: a password or
/// passphrase prompt would hang a dashboard), `-T` (no terminal), no agent/X11 forwarding,
/// no connection multiplexing (the session is the shared connection already, and a
/// `ControlMaster` of the user's would outlive amqtop), keep-alives so a dead peer is noticed.
/// `StrictHostKeyChecking` is deliberately NOT passed: ssh's default (`ask`) refuses an
/// unknown or changed key under BatchMode, and only a user's own config (e.g. `accept-new`)
/// can relax that, which is the operator's decision, not amqtop's.
public struct SSHCommandLine: Sendable, Equatable {
    /// One local unix socket forwarded to an address as the host sees it.
    public struct Forward: Sendable, Equatable {
        public var socketPath: String
        public var host: String
        public var port: Int

        public init(socketPath: String, host: String, port: Int) {
            self.socketPath = socketPath
            self.host = host
            self.port = port
        }

        /// `-L` syntax; an IPv6 literal goes in brackets.
        var spec: String {
            let target = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            return "\(socketPath):\(target):\(port)"
        }
    }

    public var executable: String
    public var destination: String
    public var configFile: String?
    public var connectTimeoutSeconds: Int
    public var forwards: [Forward]

    /// The command ssh asks the remote login shell to run: replace itself with a POSIX shell
    /// that reads amqtop's requests from stdin (works under bash, dash, zsh and fish alike).
    public static let remoteCommand = "exec /bin/sh"

    public init(
        executable: String = "/usr/bin/ssh", destination: String, configFile: String?, connectTimeoutSeconds: Int,
        forwards: [Forward] = []
    ) {
        self.executable = executable
        self.destination = destination
        self.configFile = configFile
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.forwards = forwards
    }

    /// The arguments after the executable, for the long-lived session.
    public var arguments: [String] { arguments(remoteCommand: Self.remoteCommand, forwarding: true) }

    /// The arguments of a one-off session running `command` (already shell-quoted), without forwards.
    public func oneShotArguments(command: String) -> [String] { arguments(remoteCommand: command, forwarding: false) }

    private func arguments(remoteCommand: String, forwarding: Bool) -> [String] {
        var args: [String] = []
        if let configFile { args += ["-F", configFile] }
        args += [
            "-T", "-x", "-a",
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=\(max(1, connectTimeoutSeconds))",
            "-o", "ServerAliveInterval=5",
            "-o", "ServerAliveCountMax=3",
            "-o", "ControlMaster=no",
            "-o", "ControlPath=none",
            "-o", "PermitLocalCommand=no",
            "-o", "RequestTTY=no",
            "-o", "StreamLocalBindUnlink=yes",
            "-o", "StreamLocalBindMask=0177",
            "-o", "ExitOnForwardFailure=yes",
        ]
        if forwarding { for forward in forwards { args += ["-L", forward.spec] } }
        // `--` ends the options: the destination is never read as one (the config also refuses a leading `-`).
        args += ["--", destination, remoteCommand]
        return args
    }
}
