import AMQTopCore
import AMQTopTerminal
import Foundation
import NIOConcurrencyHelpers

/// The one signal trap of `serve`, lasting across configuration reloads, feeding the current loop's terminal.
///
/// One trap for the whole process: on Linux a second dispatch source for a signal, even
/// after the first was cancelled, received nothing (see `SignalTrap`). A signal that comes
/// between two loops is kept and delivered to the next terminal.
public final class ServeSignals: Sendable {
    private struct Current: Sendable {
        var id: UInt64 = 0
        var continuation: AsyncStream<TerminalEvent>.Continuation?
        var pending: [Int32] = []
    }

    private let current = NIOLockedValueBox(Current())
    private let trap: NIOLockedValueBox<SignalTrap?> = NIOLockedValueBox(nil)

    /// Takes `signals` over for the rest of the process.
    public init(_ signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]) {
        let current = current
        trap.withLockedValue {
            $0 = SignalTrap(signals) { number in
                current.withLockedValue { state in
                    if let continuation = state.continuation { continuation.yield(.signal(number)) } else { state.pending.append(number) }
                }
            }
        }
    }

    /// A terminal for the next loop: it receives the signals from now on (and any that waited).
    public func terminal() -> HeadlessTerminal {
        let (events, continuation) = AsyncStream<TerminalEvent>.makeStream()
        let id: UInt64 = current.withLockedValue { state in
            state.continuation?.finish()
            state.id += 1
            state.continuation = continuation
            for number in state.pending { continuation.yield(.signal(number)) }
            state.pending = []
            return state.id
        }
        return HeadlessTerminal(events: events, signals: self, id: id)
    }

    /// Ends the terminal `id`'s events, if it is still the current one.
    func detach(_ id: UInt64) {
        current.withLockedValue { state in
            guard state.id == id else { return }
            state.continuation?.finish()
            state.continuation = nil
        }
    }
}
