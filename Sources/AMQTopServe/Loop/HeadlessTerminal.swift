import AMQTopCore
import AMQTopRuntime
import AMQTopScreen
import AMQTopTerminal
import Foundation

/// The dashboard loop's "terminal" when there is none: no keys, no frames, only signals.
///
/// SIGINT, SIGTERM and SIGHUP end the loop as they end the dashboard; `serve` then stops,
/// or (SIGHUP) reloads its configuration and starts a new loop.
public final class HeadlessTerminal: DashboardTerminal {
    public let events: AsyncStream<TerminalEvent>
    private let trap: SignalTrap
    private let continuation: AsyncStream<TerminalEvent>.Continuation

    /// Takes the signals over (one trap per signal at a time: `close()` this one before making another).
    public init(signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]) {
        let (events, continuation) = AsyncStream<TerminalEvent>.makeStream()
        self.events = events
        self.continuation = continuation
        trap = SignalTrap(signals) { number in continuation.yield(.signal(number)) }
    }

    /// Stops taking signals (they stay ignored) and ends `events`.
    public func close() {
        trap.cancel()
        continuation.finish()
    }

    public var width: Int { 0 }
    public var height: Int { 0 }
    public var glyphs: Glyphs { .ascii }
    public func show(_ frame: Buffer) {}
    public func repaintAll() {}
}
