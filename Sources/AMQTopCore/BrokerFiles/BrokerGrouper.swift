/// Groups broker definitions by the lock file their stores share and names every disagreement.
///
/// JBoss A-MQ's documentation: "All of the brokers in the group must share the same
/// persistenceAdapter element". Brokers of one lock that differ in keep-alive, acquire
/// interval, store element or `useLock` are reported setting by setting.
public enum BrokerGrouper {
    /// Directory names too generic to name a group on their own.
    static let genericNames: Set<String> = ["kahadb", "mkahadb", "leveldb", "data", "store", "shared", "activemq", "activemq-data"]

    /// The plan for `definitions`, in the order the files were given.
    public static func plan(_ definitions: [BrokerDefinition]) -> InitPlan {
        var plan = InitPlan()
        var byLock: [(lock: String, brokers: [BrokerDefinition])] = []
        for definition in definitions {
            switch definition.store {
            case .sharedFile:
                let lock = definition.store.lockFile ?? ""
                if let index = byLock.firstIndex(where: { $0.lock == lock }) {
                    byLock[index].brokers.append(definition)
                } else {
                    byLock.append((lock, [definition]))
                }
            case .database(let element):
                plan.unwatched.append("\(definition.label): <\(element)> is a JDBC store: its master holds a database lease (table ACTIVEMQ_LOCK), not a shared lock file, so amqtop cannot watch it")
            case .none(let reason):
                plan.unwatched.append("\(definition.label): no persistent store (\(reason)): no lock, so no master/slave to watch")
            case .unsupported(let element, let reason):
                plan.unwatched.append("\(definition.label): <\(element)>: \(reason)")
            }
        }
        var usedNames: Set<String> = []
        for (lock, brokers) in byLock {
            let name = unique(groupName(lockFile: lock), in: &usedNames)
            plan.groups.append(group(name: name, lockFile: lock, brokers: brokers))
        }
        if byLock.count > 1 {
            for (lock, brokers) in byLock where brokers.count == 1 {
                let others = byLock.filter { $0.lock != lock }
                    .map { "\($0.brokers.map(\.brokerName).joined(separator: ", ")) on \(PathText.parent(of: $0.lock))" }
                plan.warnings.append("\(brokers[0].label) is alone on \(PathText.parent(of: lock)) (\(others.joined(separator: "; "))): a group of its own with no standby; is its store directory right?")
            }
        } else if let only = byLock.first, only.brokers.count == 1 {
            plan.notes.append("\(only.brokers[0].label) is the only broker on \(PathText.parent(of: only.lock)): give the other brokers' files too")
        }
        return plan
    }

    private static func group(name: String, lockFile: String, brokers: [BrokerDefinition]) -> InitPlan.Group {
        var usedNames: Set<String> = []
        var members: [InitPlan.Member] = []
        for broker in brokers {
            let memberName = unique(sanitized(broker.brokerName), in: &usedNames)
            members.append(InitPlan.Member(name: memberName, definition: broker))
        }
        var differences: [String] = []
        let keepAlive = settle("lockKeepAlivePeriod", brokers, \.lockKeepAlivePeriodMillis, show: { "\($0) ms" }, &differences)
        let acquire = settle("lockAcquireSleepInterval", brokers, \.lockAcquireSleepIntervalMillis, show: { "\($0) ms" }, &differences)
        _ = settle("useLock", brokers, \.useLock, show: { "\($0)" }, &differences)
        _ = settle("persistence adapter", brokers, { broker -> String in
            if case .sharedFile(let element, _) = broker.store { return element }
            return ""
        }, show: { "<\($0)>" }, &differences)
        let critical = brokers.filter { !$0.useLock }.map {
            "\($0.label) sets useLock=\"false\": it takes no lock at all and starts as a master whatever the others do; two masters on one store are a matter of time"
        }
        differences += sharedEndpoints(members)
        if brokers.count > 1, Set(brokers.map(\.brokerName)).count < brokers.count {
            differences.append("brokers share a brokerName (\(brokers.map(\.brokerName).joined(separator: ", "))): named apart here, but their MBeans and logs cannot be told apart")
        }
        return InitPlan.Group(
            name: name, lockFile: lockFile, lockKeepAlivePeriodMillis: keepAlive, lockAcquireSleepIntervalMillis: acquire,
            members: members, differences: differences, critical: critical)
    }

    /// Brokers of one group probed at one address: on one host they could not both listen there,
    /// so they run on different hosts and the files' address (often a wildcard bind) is not theirs.
    private static func sharedEndpoints(_ members: [InitPlan.Member]) -> [String] {
        var messages: [String] = []
        let endpoints: [(String, (BrokerDefinition) -> String?)] = [
            ("OpenWire", { $0.openwire.map { "tcp://\($0)" } }), ("Jolokia", { $0.jolokia }),
        ]
        for (kind, endpoint) in endpoints {
            var seen: [String: [String]] = [:]
            var order: [String] = []
            for member in members {
                guard let address = endpoint(member.definition) else { continue }
                if seen[address] == nil { order.append(address) }
                seen[address, default: []].append(member.name)
            }
            for address in order where (seen[address]?.count ?? 0) > 1 {
                let names = (seen[address] ?? []).joined(separator: ", ")
                messages.append("\(names) all have \(kind) at \(address): they must run on different hosts, so put each broker's host name there, or amqtop probes one broker as all of them")
            }
        }
        return messages
    }

    /// The value most brokers have (the first file's on a tie); a difference is recorded when they disagree.
    private static func settle<Value: Hashable>(
        _ setting: String, _ brokers: [BrokerDefinition], _ value: (BrokerDefinition) -> Value,
        show: (Value) -> String, _ differences: inout [String]
    ) -> Value {
        var order: [Value] = []
        var holders: [Value: [BrokerDefinition]] = [:]
        for broker in brokers {
            let current = value(broker)
            if holders[current] == nil { order.append(current) }
            holders[current, default: []].append(broker)
        }
        var chosen = order[0]
        for current in order where (holders[current]?.count ?? 0) > (holders[chosen]?.count ?? 0) { chosen = current }
        if order.count > 1 {
            let parts = order.map { current in
                "\(show(current)) on \((holders[current] ?? []).map(\.label).joined(separator: ", "))"
            }
            differences.append("\(setting) differs: \(parts.joined(separator: "; ")); amqtop.yaml uses \(show(chosen))")
        }
        return chosen
    }

    /// A group name from the lock's directory: its name, or its nearest ancestor's with a
    /// distinctive one (`/srv/main/data/kahadb/lock` → `main`).
    static func groupName(lockFile: String) -> String {
        var directory = PathText.parent(of: lockFile)
        let own = PathText.lastComponent(directory)
        var name = own
        while genericNames.contains(name.lowercased()), directory != "/" {
            directory = PathText.parent(of: directory)
            name = directory == "/" ? own : PathText.lastComponent(directory)
        }
        let clean = sanitized(name)
        return clean.isEmpty ? "group" : clean
    }

    /// Only letters, digits and `._-`: what a config name may hold without quoting trouble.
    static func sanitized(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "-" })
    }

    private static func unique(_ name: String, in used: inout Set<String>) -> String {
        let base = name.isEmpty ? "broker" : name
        var candidate = base
        var suffix = 2
        while used.contains(candidate) {
            candidate = "\(base)-\(suffix)"
            suffix += 1
        }
        used.insert(candidate)
        return candidate
    }
}
