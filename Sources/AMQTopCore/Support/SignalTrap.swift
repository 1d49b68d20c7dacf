import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place amqtop takes signals over: the default action is ignored and a handler runs instead.
///
/// A signal's default action (SIGINT, SIGTERM, SIGHUP end the process) is turned off first,
/// so the process never dies between taking a signal and cleaning up (curses restored, lab
/// brokers stopped). Handlers run on a dispatch queue, never in signal context. Keep one
/// trap per signal at a time: a second libdispatch source for the same signal left neither
/// of them receiving it on Linux (see `recordEarly`).
public final class SignalTrap: @unchecked Sendable {
    // @unchecked: the sources are created once in `init` and only cancelled afterwards;
    // dispatch sources are thread-safe.
    private let sources: [any DispatchSourceSignal]

    /// Ignores the default action of each of `signals` and calls `handler` with the number when one arrives.
    public init(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    /// Stops calling the handler; the signals stay ignored, so a late one cannot end the process mid-cleanup.
    public func cancel() {
        for source in sources { source.cancel() }
    }

    /// Returns once any of `signals` arrives (the first one), with its number; the trap is cancelled then.
    public static func next(of signals: [Int32]) async -> Int32 {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let latch = FirstSignalLatch()
            latch.hold(SignalTrap(signals) { number in
                guard latch.fire() else { return }
                continuation.resume(returning: number)
            })
        }
    }

    /// Records the first of `signals` in a plain C handler instead of dying of it, before a trap takes over.
    ///
    /// A C handler rather than a dispatch source, so the `SignalTrap` that replaces it later
    /// is the only dispatch source for the signal (two sources for one signal received none).
    public static func recordEarly(_ signals: [Int32]) {
        for number in signals {
            signal(number) { caught in
                if earlySignal == 0 { earlySignal = caught }
            }
        }
    }

    /// The first signal `recordEarly` recorded, if any.
    public static var earlyArrival: Int32? { earlySignal == 0 ? nil : earlySignal }
}

/// The first signal that arrived while only `SignalTrap.recordEarly`'s handlers were installed, or 0.
nonisolated(unsafe) private var earlySignal: sig_atomic_t = 0

/// A one-shot flag for `SignalTrap.next(of:)` that also cancels the trap once it fired.
private final class FirstSignalLatch: @unchecked Sendable {
    // @unchecked: both properties are guarded by `lock`.
    private let lock = NSLock()
    private var fired = false
    private var trap: SignalTrap?

    /// True for the first caller only; cancels the held trap (a signal may come before `hold`).
    func fire() -> Bool {
        let (first, held): (Bool, SignalTrap?) = lock.withLock {
            defer { fired = true }
            return (!fired, trap)
        }
        if first { held?.cancel() }
        return first
    }

    /// Keeps the trap until it fired; cancels it at once when a signal already came.
    func hold(_ trap: SignalTrap) {
        let already: Bool = lock.withLock {
            self.trap = trap
            return fired
        }
        if already { trap.cancel() }
    }
}
