/// One round's result for `amqtop status`: per group its config, observations and verdict.
public struct StatusReport: Sendable {
    /// One group's part of the report.
    public struct Entry: Sendable {
        public var config: GroupConfig
        public var observation: GroupObservation
        public var assessment: GroupAssessment

        public init(config: GroupConfig, observation: GroupObservation, assessment: GroupAssessment) {
            self.config = config
            self.observation = observation
            self.assessment = assessment
        }
    }

    public var entries: [Entry]
    public var nowMillis: Int64

    public init(entries: [Entry], nowMillis: Int64) {
        self.entries = entries
        self.nowMillis = nowMillis
    }

    /// Assesses each group's observation and builds the report.
    public init(groups: [GroupConfig], observations: [GroupObservation], nowMillis: Int64) {
        self.nowMillis = nowMillis
        self.entries = groups.map { group in
            let observation = observations.first { $0.name == group.name } ?? GroupObservation(name: group.name)
            return Entry(
                config: group, observation: observation,
                assessment: GroupAssessor.assess(group: group, observation: observation, nowMillis: nowMillis))
        }
    }

    /// The worst group status; UNKNOWN when there is no group at all.
    public var status: Severity {
        entries.isEmpty ? .unknown : entries.map(\.assessment.status).max() ?? .ok
    }
}
