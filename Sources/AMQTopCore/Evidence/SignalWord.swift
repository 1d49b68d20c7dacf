/// What one probe's answer says about a broker serving clients, before the rules weigh it.
enum SignalWord: Equatable, Sendable {
    /// It serves: its own `Slave=false`, or an open OpenWire port.
    case serves
    /// It answered `Slave=true`: it waits for the lock.
    case slaveAnswer
    /// Nothing listens: a refused or broken endpoint, a refused or unanswered port. Not
    /// serving, but for a stock slave (silent until it is master) not proof of being gone.
    case silent
    /// The process is gone: the pid file names a dead process, or it was removed.
    case processGone
    /// The process lives.
    case processAlive
    /// Says nothing either way (a slow endpoint, an unreadable pid file, an unreachable host).
    case neutral

    /// True for the words that contradict an earlier "serves".
    var contradictsServing: Bool {
        switch self {
        case .slaveAnswer, .silent, .processGone: true
        case .serves, .processAlive, .neutral: false
        }
    }

    /// True for the words that say the broker stopped listening or died, not that it turned slave.
    var meansDown: Bool { self == .silent || self == .processGone }
}
