/// What a broker's pid file says about its process on this host.
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
    }

    public var atMillis: Int64
    public var pid: Int32?
    public var state: State
    /// The host the pid file was read on (`hosts:` name); nil for this host.
    public var host: String?

    public init(atMillis: Int64, pid: Int32?, state: State, host: String? = nil) {
        self.host = host
        self.atMillis = atMillis
        self.pid = pid
        self.state = state
    }

    /// The pid of a live process, or nil.
    public var livePid: Int32? { state == .alive ? pid : nil }
}
