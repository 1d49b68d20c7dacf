import AMQTopProbes
import AMQTopRuntime

/// A probe source that passes every burst of updates on unchanged after counting it in `ServeState`.
///
/// The loop's state keeps only the latest result per broker; error counters and duration
/// histograms need every one, so they are counted here on the way through, a burst at a time
/// (one lock of the serve state per burst).
public final class MeteredProbes: ProbeUpdateSource {
    public let updates: AsyncStream<[PollUpdate]>
    private let inner: any ProbeUpdateSource
    private let forward: Task<Void, Never>

    public init(_ inner: any ProbeUpdateSource, state: ServeState) {
        self.inner = inner
        // The inner source bounds its own buffer; this one only relays, with the same bound in bursts.
        let (updates, continuation) = AsyncStream<[PollUpdate]>.makeStream(bufferingPolicy: .bufferingNewest(Poller.burstBuffer))
        self.updates = updates
        forward = Task {
            for await burst in inner.updates {
                state.record(burst)
                continuation.yield(burst)
            }
            continuation.finish()
        }
    }

    public func start() async { await inner.start() }
    public func pollNow() async { await inner.pollNow() }
    public func stop() async {
        await inner.stop()
        await forward.value
    }
}
