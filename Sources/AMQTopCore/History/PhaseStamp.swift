/// One phase of a takeover as it was observed: when, and through which signal.
///
/// The instant is the observation's own time (the probe's answer, or the timestamp the new
/// master wrote in the lock file), not the time the detector happened to run.
public struct PhaseStamp: Equatable, Sendable, Hashable {
    /// Epoch milliseconds.
    public var atMillis: Int64
    public var signal: FailoverSignal

    public init(atMillis: Int64, signal: FailoverSignal) {
        self.atMillis = atMillis
        self.signal = signal
    }
}
