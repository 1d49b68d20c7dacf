import Testing
@testable import AMQTopCore

/// The test clock every loop and poller test runs on: sleepers wake only when time is advanced.
struct ManualClockTests {
    @Test func aSleeperWakesOnlyOnceItsDeadlineIsReached() async throws {
        let clock = ManualClock(startMillis: 1_000)
        let sleeper = Task { try await clock.sleep(untilMillis: 1_500) ; return clock.nowMillis() }
        try await waitUntil { clock.sleeperCount == 1 }
        clock.advance(byMillis: 499)
        #expect(clock.sleeperCount == 1, "woke 1 ms early")
        clock.advance(byMillis: 1)
        #expect(try await sleeper.value == 1_500)
        #expect(clock.sleeperCount == 0)
    }

    @Test func aPastDeadlineReturnsAtOnce() async throws {
        let clock = ManualClock(startMillis: 5_000)
        try await clock.sleep(untilMillis: 4_000)
        try await clock.sleep(millis: 0)
        #expect(clock.sleeperCount == 0)
    }

    @Test func cancellingASleeperWakesItWithCancellation() async throws {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(millis: 60_000) }
        try await waitUntil { clock.sleeperCount == 1 }
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func sleepersWakeInDeadlineOrderAndTheOffsetCanChange() async throws {
        let clock = ManualClock(startMillis: 0, utcOffsetSeconds: 3600)
        #expect(clock.utcOffsetSeconds(atMillis: 0) == 3600)
        clock.setUTCOffset(seconds: 7200)
        #expect(clock.utcOffsetSeconds(atMillis: 0) == 7200)
        let late = Task { try await clock.sleep(untilMillis: 300) }
        let early = Task { try await clock.sleep(untilMillis: 100) }
        try await waitUntil { clock.sleeperCount == 2 }
        #expect(clock.nextDeadline == 100)
        clock.advance(toMillis: 200)
        try await early.value
        #expect(clock.sleeperCount == 1)
        #expect(clock.nextDeadline == 300)
        clock.advance(toMillis: 300)
        try await late.value
    }

    /// Waits (yielding, no sleep) until `condition` holds, failing after many yields.
    private func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<100_000 {
            if condition() { return }
            await Task.yield()
        }
        Issue.record("condition never held")
        throw CancellationError()
    }
}
