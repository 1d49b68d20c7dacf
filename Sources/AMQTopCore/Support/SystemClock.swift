import Foundation

/// The real clock: `CLOCK_REALTIME` for instants, the current time zone for offsets.
///
/// Sleeps run on the continuous clock for their length, so a wall-clock step (NTP) neither
/// stretches nor skips a poll interval.
public struct SystemClock: AppClock {
    public init() {}

    public func nowMillis() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    public func sleep(untilMillis deadlineMillis: Int64) async throws {
        let wait = deadlineMillis - nowMillis()
        guard wait > 0 else {
            try Task.checkCancellation()
            return
        }
        try await Task.sleep(for: .milliseconds(wait))
    }

    public func utcOffsetSeconds(atMillis millis: Int64) -> Int {
        TimeZone.current.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000))
    }
}
