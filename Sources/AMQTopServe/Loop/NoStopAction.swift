import AMQTopActions
import AMQTopCore
import AMQTopRuntime

/// `serve` has no keys and so never stops a broker; the loop still needs a stop action.
struct NoStopAction: StopAction {
    func stop(group: String, broker: BrokerConfig) async -> StopReport {
        StopReport(outcome: .refused("amqtop serve takes no actions"), sentAtMillis: 0)
    }
}
