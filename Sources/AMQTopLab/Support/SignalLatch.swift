import NIOConcurrencyHelpers

/// A one-shot flag: `fire()` is true exactly once, however many threads call it.
final class SignalLatch: Sendable {
    private let fired = NIOLockedValueBox(false)

    /// True for the first caller only.
    func fire() -> Bool {
        fired.withLockedValue { value in
            defer { value = true }
            return !value
        }
    }
}
