/// Polls `condition` until it holds, failing with a named reason once `deadline` passes.
///
/// Tests wait on conditions, never on bare sleeps: a passing run is as fast as the system
/// allows, and a failing one says what it was waiting for. The `isolation` parameter lets
/// an actor (the group) poll its own state without sending its closure elsewhere.
func eventually(
    deadline: ContinuousClock.Instant,
    pollInterval: Duration = .milliseconds(100),
    _ what: @autoclosure () -> String,
    isolation: isolated (any Actor)? = #isolation,
    _ condition: () async throws -> Bool
) async throws {
    _ = try await eventuallyValue(deadline: deadline, pollInterval: pollInterval, what(), isolation: isolation) {
        try await condition() ? true : nil
    }
}

/// Polls `probe` until it returns a value, failing with a named reason once `deadline` passes.
///
/// A separate name from ``eventually(deadline:pollInterval:_:isolation:_:)`` because a
/// `Bool`-returning closure would otherwise match `T?` with `T == Bool` and return `false`
/// at once.
func eventuallyValue<T>(
    deadline: ContinuousClock.Instant,
    pollInterval: Duration = .milliseconds(100),
    _ what: @autoclosure () -> String,
    isolation: isolated (any Actor)? = #isolation,
    _ probe: () async throws -> T?
) async throws -> T {
    while true {
        if let value = try await probe() {
            return value
        }
        if ContinuousClock.now >= deadline {
            throw HarnessError.deadlineExceeded(what())
        }
        try await Task.sleep(for: pollInterval)
    }
}
