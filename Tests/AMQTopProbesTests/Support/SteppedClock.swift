import AMQTopCore
import Foundation

/// A wall clock that can be stepped (as NTP steps one) over a `ManualClock` that keeps running.
///
/// Like `SystemClock`, a sleep lasts its length on the underlying clock: a step made while
/// somebody sleeps neither wakes them nor keeps them asleep; only instants read after it move.
final class SteppedClock: AppClock, @unchecked Sendable {
    // @unchecked: `stepped` is guarded by `lock`; the base clock guards its own state.
    private let base: ManualClock
    private let lock = NSLock()
    private var stepped: Int64 = 0

    init(base: ManualClock) {
        self.base = base
    }

    /// Steps the wall clock by `millis` (negative: back), without moving the base clock.
    func step(byMillis millis: Int64) {
        lock.withLock { stepped += millis }
    }

    private var offset: Int64 { lock.withLock { stepped } }

    func nowMillis() -> Int64 { base.nowMillis() + offset }

    func sleep(untilMillis deadlineMillis: Int64) async throws {
        try await base.sleep(untilMillis: deadlineMillis - offset)
    }

    func utcOffsetSeconds(atMillis millis: Int64) -> Int { 0 }
}
