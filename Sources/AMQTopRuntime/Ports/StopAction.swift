import AMQTopActions
import AMQTopCore

/// Something that stops a broker and writes its audit line: the dashboard's and the drill's one stop path.
///
/// `StopAndAudit` is the real one; a test passes a fake that records which broker it was asked to stop.
public protocol StopAction: Sendable {
    /// Stops `broker` of `group`, audits it, and says what happened and when it was sent.
    func stop(group: String, broker: BrokerConfig) async -> StopReport
}
