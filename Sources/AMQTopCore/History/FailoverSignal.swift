/// The observation through which a phase of a takeover was seen.
///
/// Kept with every phase so an operator can weigh it: the lock file's timestamp is written
/// by the new master itself, while a refused port only says nothing listens any more.
public enum FailoverSignal: String, Equatable, Sendable, Hashable, CaseIterable, Codable {
    /// The lock file: its holder (free or a pid) or the acquisition timestamp in its first 8 bytes.
    case lockFile = "lock"
    /// The broker's Jolokia endpoint: its own `Slave` answer, or the endpoint going silent.
    case jolokia
    /// A TCP connect to the broker's OpenWire port (only a master opens it).
    case openwire
    /// The broker's pid file and whether its process is alive.
    case pid
    /// A line of the broker's own log (`amqtop history import`, or a tailed `brokerLog:`).
    case log
}
