import AMQTopProbes
import AMQTopRuntime

/// A probe source whose results are the ones a test sends.
final class FakeProbes: ProbeUpdateSource {
    let updates: AsyncStream<[PollUpdate]>
    private let continuation: AsyncStream<[PollUpdate]>.Continuation
    /// One entry per `pollNow()` (the `r` key).
    let pollNowCalls = Recorder<Void>()

    init() {
        (updates, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    func start() async {}
    func pollNow() async { pollNowCalls.append(()) }
    func stop() async { continuation.finish() }

    /// Sends results as if probes had finished, in order, as one burst (as the poller batches them).
    func send(_ sent: [PollUpdate]) { continuation.yield(sent) }

    /// Sends results in order, each a burst of its own (a poller without an event loop).
    func sendEach(_ sent: [PollUpdate]) { for update in sent { continuation.yield([update]) } }
}
