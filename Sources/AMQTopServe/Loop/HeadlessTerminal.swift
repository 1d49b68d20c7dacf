import AMQTopCore
import AMQTopRuntime
import AMQTopScreen
import AMQTopTerminal
import Foundation

/// The dashboard loop's "terminal" when there is none: no keys, no frames, only signals.
///
/// SIGINT, SIGTERM and SIGHUP end the loop as they end the dashboard; `serve` then stops,
/// or (SIGHUP) reloads its configuration and starts a new loop with a new terminal from the
/// same `ServeSignals`.
public final class HeadlessTerminal: DashboardTerminal {
    public let events: AsyncStream<TerminalEvent>
    private let signals: ServeSignals
    private let id: UInt64

    init(events: AsyncStream<TerminalEvent>, signals: ServeSignals, id: UInt64) {
        self.events = events
        self.signals = signals
        self.id = id
    }

    /// Stops receiving signals (a signal before the next terminal waits for it) and ends `events`.
    public func close() { signals.detach(id) }

    public var width: Int { 0 }
    public var height: Int { 0 }
    public var glyphs: Glyphs { .ascii }
    public func show(_ frame: Buffer) {}
    public func repaintAll() {}
}
