/// How a takeover started, as far as the observations tell.
public enum FailoverCause: String, Equatable, Sendable, Hashable, CaseIterable, Codable {
    /// The old master's process died or its port vanished, and amqtop had not asked it to stop.
    case crash
    /// amqtop sent the old master a stop shortly before it went away.
    case stop
    /// Neither: the old master was not known, or it left without a telling signal
    /// (e.g. it still answers, now as a slave, after losing its lock).
    case unknown
}
