import AMQTopCore
import AMQTopMetrics
import AMQTopProbes
import NIOConcurrencyHelpers

/// What the HTTP side reads: the latest dashboard state, the probe counts and the recorded failovers.
///
/// The loop publishes into it, scrapes copy out of it under a short lock and render outside
/// it, so a slow scraper never holds up the loop (and the loop never waits for a scrape).
public final class ServeState: Sendable {
    private struct Inner: Sendable {
        var state: AppState?
        var probes = ProbeStatistics()
        var failovers: [String: [FailoverEvent]] = [:]
    }

    private let box = NIOLockedValueBox(Inner())
    private let clock: any AppClock
    /// The `host` label of a lock held on this host.
    public let localHost: String

    public init(clock: any AppClock, localHost: String) {
        self.clock = clock
        self.localHost = localHost
    }

    /// Takes the state as the reducer left it (called on every frame of the headless loop).
    public func publish(_ state: AppState) {
        box.withLockedValue { $0.state = state }
    }

    /// Counts one poll update (every probe result, not only the latest per broker).
    public func record(_ update: PollUpdate) { record([update]) }

    /// Counts a burst of poll updates in order, under one lock.
    public func record(_ burst: [PollUpdate]) {
        box.withLockedValue { inner in
            for update in burst {
                switch update {
                case .broker(let group, let observation): inner.probes.record(group: group, observation)
                case .roundComplete: inner.probes.roundCompleted()
                case .lock, .brokerSkipped: break
                }
            }
        }
    }

    /// Replaces a group's recorded failovers (read back from the history file).
    public func setFailovers(group: String, _ events: [FailoverEvent]) {
        box.withLockedValue { $0.failovers[group] = events }
    }

    /// A copy of everything for one scrape; nil before the loop published its first state.
    public func snapshot() -> MetricsSnapshot? {
        box.withLockedValue { inner in
            inner.state.map { MetricsSnapshot(state: $0, failovers: inner.failovers, probes: inner.probes, localHost: localHost) }
        }
    }

    /// The metrics text in `format` (empty families before the first state).
    public func metricsText(format: ExpositionFormat) -> String {
        guard let snapshot = snapshot() else { return ExpositionWriter.text([], format: format) }
        return ServeMetrics.text(snapshot, format: format)
    }

    /// Whether poll rounds complete, judged on the clock now (a stuck loop publishes nothing, so its last state must not look fresh).
    public func health() -> ServeHealth {
        guard var state = box.withLockedValue({ $0.state }) else { return .unhealthy("not polling yet") }
        state.nowMillis = max(state.nowMillis, clock.nowMillis())
        return ServeHealth(state.pollHealth)
    }

    /// The `amqtop status --json` document for the latest state.
    public func statusJSON() -> String {
        guard let state = box.withLockedValue({ $0.state }) else { return "{}\n" }
        let now = clock.nowMillis()
        let entries = state.config.groups.map { group in
            let observation = state.observations[group.name] ?? GroupObservation(name: group.name)
            return StatusReport.Entry(
                config: group, observation: observation,
                assessment: state.assessments[group.name] ?? GroupAssessor.assess(group: group, observation: observation, nowMillis: now))
        }
        return StatusJSON.document(StatusReport(entries: entries, nowMillis: now)).serialized() + "\n"
    }
}
