/// How amqtop stops a broker when an operator asks it to.
public enum StopMethod: Equatable, Sendable {
    /// `exec` of the broker MBean's `stop` operation over Jolokia (the default).
    case jolokia
    /// SIGTERM to the pid in the broker's `pidFile` (brokers on this host).
    case signal
    /// An argument list run without a shell (`stopCommand:`).
    case command([String])

    /// The name used in the config, the dialog and the audit log.
    public var name: String {
        switch self {
        case .jolokia: "jolokia"
        case .signal: "signal"
        case .command: "command"
        }
    }
}
