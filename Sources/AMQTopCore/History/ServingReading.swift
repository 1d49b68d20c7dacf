/// What one broker's latest signals say about whether it serves clients.
///
/// Only direct signals count: the broker's own `Slave` answer and its OpenWire port say
/// "serving"; `Slave=true`, a refused endpoint or port, and a dead process say "not
/// serving". A Jolokia timeout says neither (a busy master answers slowly), and a silent
/// endpoint alone does not prove a broker down, but it does prove it is not the one that
/// answered as master a poll ago.
struct ServingReading: Equatable, Sendable {
    /// The latest signal saying it serves (after the lock's latest acquisition).
    var serving: PhaseStamp?
    /// The earliest signal, later than `serving`, saying it does not.
    var notServing: PhaseStamp?
    /// True when `notServing` came from a signal that the broker is gone (a dead process, a
    /// refused port or endpoint), not from it answering as a slave.
    var notServingMeansDown: Bool

    /// True when the broker's latest word is that it serves.
    var isServing: Bool { serving != nil && notServing == nil }

    /// Reads one broker's observation.
    ///
    /// - Parameter staleBeforeMillis: serving signals older than this (the lock's latest
    ///   acquisition) are ignored: the lock changed hands after they were seen.
    init(observation: BrokerObservation, staleBeforeMillis: Int64?) {
        // (instant, signal, serving?, means down)
        var readings: [(at: Int64, signal: FailoverSignal, serving: Bool, down: Bool)] = []
        if let jolokia = observation.jolokia {
            if jolokia.reachable {
                if let slave = jolokia.slave { readings.append((jolokia.atMillis, .jolokia, !slave, false)) }
            } else if let error = jolokia.error {
                switch error {
                case .refused, .connection: readings.append((jolokia.atMillis, .jolokia, false, true))
                default: break
                }
            }
        }
        if let port = observation.openwire {
            switch port.state {
            case .open: readings.append((port.atMillis, .openwire, true, false))
            case .refused, .timeout: readings.append((port.atMillis, .openwire, false, true))
            case .error: break
            }
        }
        if let process = observation.process {
            switch process.state {
            case .dead, .noPidFile: readings.append((process.atMillis, .pid, false, true))
            case .alive, .unreadable: break
            }
        }

        let fresh = readings.filter { $0.serving && $0.at >= (staleBeforeMillis ?? Int64.min) }
        // The broker's own Slave=false is the better word when two signals tie.
        let latestServing = fresh.max { a, b in
            a.at != b.at ? a.at < b.at : Self.servingRank(a.signal) < Self.servingRank(b.signal)
        }
        let after = latestServing?.at ?? Int64.min
        let against = readings.filter { !$0.serving && $0.at > after }
        // The earliest contrary signal is the first moment it was seen gone; on a tie, a dead
        // process says more than a closed port, which says more than a silent endpoint.
        let earliestAgainst = against.min { a, b in
            a.at != b.at ? a.at < b.at : Self.goneRank(a.signal) > Self.goneRank(b.signal)
        }
        serving = latestServing.map { PhaseStamp(atMillis: $0.at, signal: $0.signal) }
        notServing = earliestAgainst.map { PhaseStamp(atMillis: $0.at, signal: $0.signal) }
        notServingMeansDown = against.contains { $0.down }
    }

    private static func servingRank(_ signal: FailoverSignal) -> Int {
        signal == .jolokia ? 2 : 1
    }

    private static func goneRank(_ signal: FailoverSignal) -> Int {
        switch signal {
        case .pid: 3
        case .openwire: 2
        case .jolokia: 1
        case .lockFile: 0
        }
    }
}
