import AMQTopCore

/// The answer of `/healthz`: healthy while poll rounds complete on time, else why not.
public enum ServeHealth: Equatable, Sendable {
    case healthy(String)
    case unhealthy(String)

    /// Maps the dashboard's own lateness judgement (the header's LATE / FAILING) onto 200 / 503.
    ///
    /// Late counts as unhealthy: a round overdue by more than a timeout means some probe is
    /// not bounded as it should be, and a scraper should hear that before it is FAILING.
    public init(_ health: PollHealth) {
        switch health {
        case .onTime: self = .healthy("ok: poll rounds complete on time")
        case .waiting: self = .unhealthy("waiting for the first complete poll round")
        case .late(let by): self = .unhealthy("late: no complete poll round for \(DurationFormat.short(by)) past the poll interval")
        case .failing(let reason): self = .unhealthy("failing: \(reason)")
        }
    }

    public var isHealthy: Bool { if case .healthy = self { true } else { false } }

    /// The one-line body.
    public var text: String {
        switch self {
        case .healthy(let text), .unhealthy(let text): text
        }
    }
}
