/// Which group and broker each imported log belongs to, by amqtop.yaml.
///
/// A log belongs to the broker whose `brokerName` its own lines name (`Apache ActiveMQ ...
/// (NAME, ID:...) is starting`, the keep-alive give-up): the configured broker with that
/// `mbeanBrokerName`, else with that `name`. The group is that broker's group; when two
/// groups have a broker of that name, the lock file the log's slave lines name decides.
/// Rotated files (`activemq.log.1`, `activemq.log.2.gz`) belong with their live file, so
/// a rotated part that names nobody is still placed. `--group` puts every log in one group
/// (a broker not in it keeps the log's own name).
public struct BrokerLogAssignment: Equatable, Sendable {
    /// The logs of each group, in the groups' order.
    public var groups: [(group: String, logs: [LogHistoryReconstructor.BrokerLog])] {
        order.compactMap { name in byGroup[name].map { (name, $0) } }
    }
    /// Files that could not be placed, each with why (the import goes on without them).
    public var problems: [String] = []
    /// Remarks that change nothing (a slave's log that names no broker).
    public var notes: [String] = []

    private var order: [String] = []
    private var byGroup: [String: [LogHistoryReconstructor.BrokerLog]] = [:]

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.order == rhs.order && lhs.byGroup == rhs.byGroup && lhs.problems == rhs.problems && lhs.notes == rhs.notes
    }

    /// Places `scans` by `config`'s groups (or all in `forcedGroup`).
    public static func assign(_ scans: [BrokerLogScan], groups: [GroupConfig], forcedGroup: String? = nil) -> BrokerLogAssignment {
        var result = BrokerLogAssignment()
        var families: [(family: String, scans: [BrokerLogScan])] = []
        for scan in scans {
            let family = Self.family(of: scan.path)
            if let index = families.firstIndex(where: { $0.family == family }) {
                families[index].scans.append(scan)
            } else {
                families.append((family, [scan]))
            }
        }
        for (_, members) in families {
            let paths = members.map(\.path).joined(separator: ", ")
            var names: [String] = []
            var locks: [String] = []
            for scan in members {
                names += scan.brokerNames.filter { !names.contains($0) }
                locks += scan.lockFiles.filter { !locks.contains($0) }
            }
            guard let logName = names.first else {
                let lock = locks.first.map { " (it waited for \($0))" } ?? ""
                result.notes.append("\(paths): names no broker\(lock): a slave that never became master adds no takeover")
                continue
            }
            switch Self.place(logName: logName, locks: locks, groups: groups, forcedGroup: forcedGroup) {
            case .success(let (group, broker)):
                result.add(LogHistoryReconstructor.BrokerLog(broker: broker, entries: members.flatMap(\.entries)), to: group)
            case .failure(let problem):
                result.problems.append("\(paths): \(problem.text)")
            }
        }
        return result
    }

    /// Why a log could not be placed.
    struct Problem: Error { var text: String }

    static func place(logName: String, locks: [String], groups: [GroupConfig], forcedGroup: String?) -> Result<(String, String), Problem> {
        func broker(in group: GroupConfig) -> BrokerConfig? {
            group.brokers.first { $0.mbeanBrokerName == logName } ?? group.brokers.first { $0.name == logName }
        }
        if let forcedGroup {
            guard let group = groups.first(where: { $0.name == forcedGroup }) else {
                // --group with no configuration (or a group it lacks): the logs' own names stand.
                return .success((forcedGroup, logName))
            }
            return .success((group.name, broker(in: group)?.name ?? logName))
        }
        var candidates = groups.filter { broker(in: $0) != nil }
        if candidates.count > 1 {
            let byLock = candidates.filter { group in group.lockFile.map { locks.contains($0) } ?? false }
            if byLock.count == 1 { candidates = byLock }
        }
        if candidates.isEmpty {
            let byLock = groups.filter { group in group.lockFile.map { locks.contains($0) } ?? false }
            if byLock.count == 1 { return .success((byLock[0].name, logName)) }
            return .failure(Problem(text: "names broker \(logName), which is in no configured group: give --group NAME"))
        }
        guard candidates.count == 1, let group = candidates.first, let found = broker(in: group) else {
            return .failure(Problem(text: "names broker \(logName), which groups \(candidates.map(\.name).joined(separator: ", ")) all have: give --group NAME"))
        }
        return .success((group.name, found.name))
    }

    /// `dir/activemq.log.2.gz` and `dir/activemq.log.1` belong with `dir/activemq.log`.
    static func family(of path: String) -> String {
        var name = path
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if let dot = name.lastIndex(of: "."), !name[name.index(after: dot)...].isEmpty,
           name[name.index(after: dot)...].allSatisfy(\.isNumber) {
            name = String(name[..<dot])
        }
        return name
    }

    private mutating func add(_ log: LogHistoryReconstructor.BrokerLog, to group: String) {
        if byGroup[group] == nil { order.append(group) }
        if let index = byGroup[group]?.firstIndex(where: { $0.broker == log.broker }) {
            // Two families of one broker (its log moved): one timeline.
            byGroup[group]?[index].entries += log.entries
        } else {
            byGroup[group, default: []].append(log)
        }
    }
}
