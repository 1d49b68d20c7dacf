import AMQTopCore

/// A wall clock that can be stepped (as NTP steps one) over a `ManualClock` that keeps running.
///
/// Like `SystemClock`, a sleep lasts its length on the underlying clock: a step made while
/// somebody sleeps neither wakes them nor keeps them asleep; only instants read after it move.
final class SteppedClock: AppClock, @unchecked Sendable {
    // @unchecked: `offset` is only changed by the test between advances, never concurrently
    // with a read that matters; the base clock guards its own state.
    private let base: ManualClock
    private var offset: Int64 = 0

    init(base: ManualClock) {
        self.base = base
    }

    /// Steps the wall clock by `millis` (negative: back), without moving the base clock.
    func step(byMillis millis: Int64) {
        offset += millis
    }

    func nowMillis() -> Int64 { base.nowMillis() + offset }

    func sleep(untilMillis deadlineMillis: Int64) async throws {
        try await base.sleep(untilMillis: deadlineMillis - offset)
    }

    func utcOffsetSeconds(atMillis millis: Int64) -> Int { 0 }
}
