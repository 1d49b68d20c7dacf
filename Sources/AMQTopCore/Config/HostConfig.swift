/// A machine brokers run on, reached with the OpenSSH client (`hosts:` in the config).
///
/// amqtop installs nothing there: it opens one long-lived `ssh` session per host and runs
/// only read commands (and the configured stop) through it.
public struct HostConfig: Equatable, Sendable {
    /// The name brokers refer to with `host:`.
    public var name: String
    /// Any destination `ssh` accepts: `user@host`, `host`, an alias from the ssh config.
    public var ssh: String
    /// Where in the config file this host was defined (for messages).
    public var line: Int?

    public init(name: String, ssh: String, line: Int? = nil) {
        self.name = name
        self.ssh = ssh
        self.line = line
    }
}
