/// Everything the dashboard shows, in one value: the reducer changes it, the views draw it.
public struct AppState: Equatable, Sendable {
    public var config: AppConfig
    /// The latest observations per group name (lock and brokers merged as they arrive).
    public var observations: [String: GroupObservation]
    /// The verdict per group name, recomputed whenever its observations or the clock move.
    public var assessments: [String: GroupAssessment]
    public var view: AppView
    /// The group view's focused panel (Tab).
    public var focus: GroupPanel
    /// Index into `visibleGroups` of the overview's selected row.
    public var selectedGroup: Int
    /// Index into `visibleBrokers(of:)` of the group view's selected row.
    public var selectedBroker: Int
    /// Case-insensitive name filter for groups and brokers ("" shows all).
    public var filter: String
    /// True while `/` is collecting filter text: keys type instead of acting.
    public var isEditingFilter: Bool
    /// A transient message for the status bar, e.g. "polling now".
    public var statusMessage: String?
    /// When `statusMessage` goes away.
    public var statusMessageUntilMillis: Int64?
    /// When the last complete poll round finished.
    public var lastRoundMillis: Int64?
    /// When the dashboard started (lateness before the first round counts from here).
    public var startedAtMillis: Int64
    /// The clock as of the last tick.
    public var nowMillis: Int64
    /// Why the poller cannot poll, if it said so.
    public var pollerFailure: String?
    public var width: Int
    public var height: Int
    /// The open stop dialog, if any: it takes every key until closed.
    public var stopDialog: StopDialog?
    /// The latest failover drill per group (started by a stop of its master from here).
    public var drills: [String: DrillTimeline]
    /// The last failovers per group from the history, newest first.
    public var recentFailovers: [String: [FailoverEvent]]
    /// The broker hosts' SSH connections, in configuration order (empty without `hosts:`).
    public var hosts: [HostLink]
    /// The tenures, failovers and split brains of the last week per group, for the timelines.
    public var timelines: [String: TimelineHistory]
    /// The window the tenure timelines show (`t` cycles it).
    public var timelineWindow: TimelineWindow
    /// How far each scrollable panel is scrolled, in rows from its top.
    public var scroll: [ScrollablePanel: Int]
    /// True when Tab gave the overview's moving keys to the selected group's panels below the
    /// list: they scroll those (`ScrollablePanel.overview`) instead of moving the selection.
    public var overviewDetailFocused: Bool
    /// Whether the status line offers the first-run hint (`firstRunHint`) until the first stop goes out.
    public var showsFirstRunHint: Bool
    /// The brokers seen as master or slave since start: only those can be announced as back.
    public var brokersSeenRunning: Set<BrokerKey>

    /// A broker by group and name.
    public struct BrokerKey: Hashable, Sendable {
        public var group: String
        public var broker: String

        public init(group: String, broker: String) {
            self.group = group
            self.broker = broker
        }
    }

    /// How long a status message stays.
    public static let messageMillis: Int64 = 5000

    /// The longest filter the `/` prompt takes, in characters.
    ///
    /// Names are short; a paste of kilobytes into the prompt froze the dashboard for ~27 s
    /// (every key re-measured and re-matched the whole filter), so input past this is dropped.
    public static let filterLimit = 64

    public init(config: AppConfig, nowMillis: Int64, width: Int = 80, height: Int = 24) {
        self.config = config
        self.observations = [:]
        self.assessments = [:]
        self.view = .overview
        self.focus = .brokers
        self.selectedGroup = 0
        self.selectedBroker = 0
        self.filter = ""
        self.isEditingFilter = false
        self.statusMessage = nil
        self.statusMessageUntilMillis = nil
        self.lastRoundMillis = nil
        self.startedAtMillis = nowMillis
        self.nowMillis = nowMillis
        self.pollerFailure = nil
        self.width = width
        self.height = height
        self.stopDialog = nil
        self.drills = [:]
        self.recentFailovers = [:]
        self.hosts = []
        self.timelines = [:]
        self.timelineWindow = .day
        self.scroll = [:]
        self.overviewDetailFocused = false
        self.showsFirstRunHint = false
        self.brokersSeenRunning = []
    }

    /// True when actions are removed (`--read-only` or `readOnly: true`).
    public var isReadOnly: Bool { config.readOnly }

    /// Whether a name passes the filter.
    public func matchesFilter(_ name: String) -> Bool {
        filter.isEmpty || name.lowercased().contains(filter.lowercased())
    }

    /// The groups the overview lists: those whose name or any broker's name passes the filter.
    public var visibleGroups: [GroupConfig] {
        config.groups.filter { group in matchesFilter(group.name) || group.brokers.contains { matchesFilter($0.name) } }
    }

    /// The brokers a group view lists: all when the group's own name matches, else the matching ones.
    public func visibleBrokers(of group: GroupConfig) -> [BrokerConfig] {
        matchesFilter(group.name) ? group.brokers : group.brokers.filter { matchesFilter($0.name) }
    }

    /// The group the group view shows (or the overview's selection).
    public var currentGroup: GroupConfig? {
        if let name = view.groupName { return config.group(named: name) }
        let groups = visibleGroups
        return groups.indices.contains(selectedGroup) ? groups[selectedGroup] : nil
    }

    /// The broker selected in the group view.
    public var currentBroker: BrokerConfig? {
        guard view.groupName != nil, let group = currentGroup else { return nil }
        let brokers = visibleBrokers(of: group)
        return brokers.indices.contains(selectedBroker) ? brokers[selectedBroker] : nil
    }

    /// The number of configured brokers in all groups.
    public var brokerCount: Int { config.groups.reduce(0) { $0 + $1.brokers.count } }

    /// The worst status of any group; UNKNOWN while a group has no verdict yet.
    public var overallStatus: Severity {
        var worst = Severity.ok
        for group in config.groups {
            worst = max(worst, assessments[group.name]?.status ?? .unknown)
        }
        return worst
    }

    /// How rounds are keeping up: late past one interval plus a timeout, failing past three.
    public var pollHealth: PollHealth {
        if let pollerFailure { return .failing(pollerFailure) }
        let allowance = config.pollMillis + config.timeoutMillis + AppState.lateSlackMillis
        let since = nowMillis - (lastRoundMillis ?? startedAtMillis)
        if since > 3 * allowance { return .failing("no complete poll round for \(DurationFormat.short(since))") }
        if since > allowance { return .late(byMillis: since - config.pollMillis) }
        return lastRoundMillis == nil ? .waiting : .onTime
    }

    /// Scheduling jitter that does not count as late.
    public static let lateSlackMillis: Int64 = 1000
}
