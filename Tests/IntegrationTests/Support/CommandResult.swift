/// What a finished (or timed-out) child process left behind.
struct CommandResult: Sendable {
    /// Everything it wrote to stdout, decoded as UTF-8.
    let stdout: String
    /// Everything it wrote to stderr, decoded as UTF-8.
    let stderr: String
    /// Its exit status, or the number of the signal that ended it (see `terminatedBySignal`).
    let exitCode: Int32
    /// True when it was ended by a signal rather than by exiting.
    let terminatedBySignal: Bool
    /// True when the harness SIGKILLed it because the deadline passed.
    let timedOut: Bool
}
