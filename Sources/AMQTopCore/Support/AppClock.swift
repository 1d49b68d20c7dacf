import Foundation

/// The one source of time for the poller, the run loop, drills and the history.
///
/// Every instant amqtop stamps or waits for goes through one of these, so a test can run
/// the whole loop on a `ManualClock` and advance time by hand instead of sleeping, and the
/// screen's UTC offset is asked for each time it is needed (a DST change mid-run is right).
public protocol AppClock: Sendable {
    /// The wall-clock time in milliseconds since the Unix epoch.
    func nowMillis() -> Int64
    /// Suspends until `nowMillis()` reaches `deadlineMillis`; throws `CancellationError` when cancelled.
    func sleep(untilMillis deadlineMillis: Int64) async throws
    /// The local time zone's offset from UTC, in seconds, at the given instant.
    func utcOffsetSeconds(atMillis millis: Int64) -> Int
}

extension AppClock {
    /// Suspends for `millis` from now; throws `CancellationError` when cancelled.
    public func sleep(millis: Int64) async throws {
        try await sleep(untilMillis: nowMillis() + max(0, millis))
    }
}
