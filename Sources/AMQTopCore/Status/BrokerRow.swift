/// What one broker's row is made of: its configuration, its latest observation and its verdict.
public struct BrokerRow: Sendable {
    public var config: BrokerConfig
    public var observation: BrokerObservation?
    public var verdict: BrokerVerdict?

    public init(config: BrokerConfig, observation: BrokerObservation?, verdict: BrokerVerdict?) {
        self.config = config
        self.observation = observation
        self.verdict = verdict
    }

    /// The row of `config` in a group's observation and assessment.
    public init(config: BrokerConfig, group observation: GroupObservation?, assessment: GroupAssessment?) {
        self.init(config: config, observation: observation?.broker(named: config.name), verdict: assessment?.broker(named: config.name))
    }

    /// The latest Jolokia poll, if any.
    public var jolokia: JolokiaObservation? { observation?.jolokia }
}
