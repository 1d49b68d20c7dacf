/// What a broker's pid file says about its process, on this host or on the broker's own host.
public struct ProcessObservation: Equatable, Sendable {
    public enum State: Equatable, Sendable, Hashable {
        /// The pid file names a live process.
        case alive
        /// The pid file names a process that no longer exists.
        case dead
        /// No pid file at the configured path (a stopped broker usually removes it).
        case noPidFile
        /// The pid file could not be read or does not hold a pid.
        case unreadable(String)
        /// The broker's host could not be asked (the SSH error): nothing is known of the
        /// process, so its broker is `unknown`, never `down`.
        case unreachable(String)
    }

    public var atMillis: Int64
    public var pid: Int32?
    public var state: State
    /// The host whose process table was read (a configured host's name); nil is this host.
    ///
    /// A pid only names a process on its own host, so the lock holder's pid matches a
    /// broker's only when both were read on the same host.
    public var host: String?

    public init(atMillis: Int64, pid: Int32?, state: State, host: String? = nil) {
        self.atMillis = atMillis
        self.pid = pid
        self.state = state
        self.host = host
    }

    /// The pid of a live process, or nil.
    public var livePid: Int32? { state == .alive ? pid : nil }
}
