/// How often a group failed over and how long clients were left without a master.
public struct GroupFailoverStatistics: Equatable, Sendable {
    public var group: String
    /// Every recorded failover, finished or not.
    public var count: Int
    /// The failovers whose time without a master is known (the new master was seen serving).
    public var measuredCount: Int
    public var meanTimeWithoutMasterMillis: Int64?
    public var maxTimeWithoutMasterMillis: Int64?

    public init(group: String, count: Int, measuredCount: Int, meanTimeWithoutMasterMillis: Int64?, maxTimeWithoutMasterMillis: Int64?) {
        self.group = group
        self.count = count
        self.measuredCount = measuredCount
        self.meanTimeWithoutMasterMillis = meanTimeWithoutMasterMillis
        self.maxTimeWithoutMasterMillis = maxTimeWithoutMasterMillis
    }

    /// One entry per group, in order of each group's first failover.
    public static func of(_ events: [FailoverEvent]) -> [GroupFailoverStatistics] {
        var order: [String] = []
        var byGroup: [String: [FailoverEvent]] = [:]
        for event in events {
            if byGroup[event.group] == nil { order.append(event.group) }
            byGroup[event.group, default: []].append(event)
        }
        return order.map { group in
            let groupEvents = byGroup[group] ?? []
            let spans = groupEvents.compactMap(\.timeWithoutMasterMillis)
            let mean = spans.isEmpty ? nil : Int64((Double(spans.reduce(0, +)) / Double(spans.count)).rounded())
            return GroupFailoverStatistics(
                group: group, count: groupEvents.count, measuredCount: spans.count,
                meanTimeWithoutMasterMillis: mean, maxTimeWithoutMasterMillis: spans.max())
        }
    }
}
