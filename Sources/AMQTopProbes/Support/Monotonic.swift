import Foundation

/// Monotonic milliseconds, for measuring latencies that must not jump with the wall clock.
///
/// Instants (what observations are stamped with) come from the injected `AppClock` instead,
/// so tests can run the probes and the poller on a `ManualClock`.
enum Monotonic {
    /// `CLOCK_MONOTONIC` in milliseconds: only differences between two readings mean anything.
    static func millis() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
