import AMQTopCore
import AMQTopProbes
import AMQTopRemote
import AMQTopRuntime
import AMQTopScreen

/// One run of `serve`'s polling on one configuration: the dashboard's own loop, without a screen.
///
/// The same `DashboardLoop` the dashboard runs (same poller, reducer, assessor and history
/// feed), given a `HeadlessTerminal` and a "renderer" that publishes each frame's state into
/// `ServeState` instead of drawing it. Frames come at least every tick (250 ms), so a scrape
/// sees state at most a tick old.
public enum ServeLoop {
    /// How often failovers written by other processes (dashboards on the same file) are read back.
    public static let ledgerRefreshMillis: Int64 = 30_000

    /// Polls `config` until a signal; returns it. The history sink and the signals are the caller's (kept across reloads).
    ///
    /// Brokers with `host:` are probed through their hosts, as the dashboard does
    /// (`RemoteAwareProber`); throws when the hosts' connections cannot be set up.
    public static func run(
        config: AppConfig, state: ServeState, history: any HistorySink, signals: ServeSignals, clock: any AppClock
    ) async throws -> StopReason {
        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        let remote: RemoteAwareProber
        do {
            remote = try RemoteAwareProber.make(config: config, http: http, clock: clock)
        } catch {
            await http.shutdown()
            throw error
        }
        let probes = MeteredProbes(Poller(config: config, prober: remote.prober, clock: clock, unchangedLocks: .whenNeeded), state: state)
        let ledger = LedgerHistorySink(history, state: state)
        let terminal = signals.terminal()
        let loop = DashboardLoop(
            config: config, terminal: terminal, probes: probes, history: ledger, actions: NoStopAction(), clock: clock,
            render: { appState, _ in
                state.publish(appState)
                return Buffer(width: 0, height: 0)
            })
        let groups = config.groups.map(\.name)
        let refresher = Task {
            while !Task.isCancelled {
                for group in groups { await ledger.refresh(group: group) }
                do { try await clock.sleep(millis: ledgerRefreshMillis) } catch { return }
            }
        }
        let reason = await loop.run()
        terminal.close()
        refresher.cancel()
        await loop.shutdown()
        await remote.close()
        await http.shutdown()
        return reason
    }
}
