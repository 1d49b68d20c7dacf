import AMQTopActions
import AMQTopCore
import AMQTopRuntime

/// A stop action that records what it was asked to stop and answers "sent" at the clock's time.
final class FakeStops: StopAction {
    /// Every stop asked for: group and broker.
    let calls = Recorder<[String]>()
    private let clock: any AppClock

    init(clock: any AppClock) { self.clock = clock }

    func stop(group: String, broker: BrokerConfig) async -> StopReport {
        calls.append([group, broker.name])
        return StopReport(outcome: .sent("fake stop"), sentAtMillis: clock.nowMillis())
    }
}
