/// What `amqtop init` found: the groups to watch, and everything it has to tell the operator.
public struct InitPlan: Equatable, Sendable {
    /// One shared-lock group: the brokers whose stores share one lock file.
    public struct Group: Equatable, Sendable {
        public var name: String
        public var lockFile: String
        /// The value the group is configured with: the one most brokers have.
        public var lockKeepAlivePeriodMillis: Int64
        public var lockAcquireSleepIntervalMillis: Int64
        public var members: [Member]
        /// Each setting the brokers disagree on, named, with who has which value.
        public var differences: [String]
        /// What makes the group unsafe whatever amqtop shows (`useLock="false"`).
        public var critical: [String]
    }

    /// One broker of a group, under a name unique in the group.
    public struct Member: Equatable, Sendable {
        public var name: String
        public var definition: BrokerDefinition
    }

    public var groups: [Group]
    /// Brokers amqtop cannot watch, each with why.
    public var unwatched: [String]
    /// Findings about single brokers (a broker alone on its directory, duplicate names).
    public var warnings: [String]
    /// Remarks that change nothing about the group (one file given for a store).
    public var notes: [String]

    public init(groups: [Group] = [], unwatched: [String] = [], warnings: [String] = [], notes: [String] = []) {
        self.groups = groups
        self.unwatched = unwatched
        self.warnings = warnings
        self.notes = notes
    }

    /// Every finding, most serious first, for stderr.
    public var findings: [String] {
        groups.flatMap { group in group.critical.map { "CRITICAL: group \(group.name): \($0)" } }
            + groups.flatMap { group in group.differences.map { "group \(group.name): \($0)" } }
            + unwatched.map { "not watched: \($0)" }
            + warnings
    }

    /// 2 when a group has no exclusion at all, 1 when anything else was reported, else 0 (Nagios codes); notes do not count.
    public var exitCode: Int32 {
        if groups.contains(where: { !$0.critical.isEmpty }) { return 2 }
        return findings.isEmpty ? 0 : 1
    }
}
