import AMQTopCore
import AMQTopProbes
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
    public static func run(
        config: AppConfig, state: ServeState, history: any HistorySink, signals: ServeSignals, clock: any AppClock
    ) async -> StopReason {
        let http = ProbeHTTPClient(connectTimeoutMillis: config.timeoutMillis)
        let probes = MeteredProbes(Poller(config: config, prober: GroupProber(config: config, http: http), clock: clock), state: state)
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
        await http.shutdown()
        return reason
    }
}
