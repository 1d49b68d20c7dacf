/// Split brain (two or more masters) and no master at all.
public struct MasterCountRule: AlertRule {
    public init() {}
    public var name: String { "master count" }

    public func alerts(_ context: AlertContext) -> [Alert] {
        let masters = context.masters
        let lock = context.lock
        if masters.count >= 2 {
            var message = "\(EnglishText.listWithQuantifier(masters)) claim to be master"
            if let acquired = lock?.acquiredAtMillis {
                message += "; the lock was last acquired \(DurationFormat.short(max(0, context.nowMillis - acquired))) ago"
                if let holder = context.lockHolderBroker { message += " and is held by \(holder)" }
            }
            return [Alert(
                .critical, .splitBrain, "Split brain: " + message + ".",
                action: "Stop every master but the lock holder now; clients may be writing to two stores. Then check the filesystem's locking and lockKeepAlivePeriod.")]
        }
        guard masters.isEmpty else { return [] }
        var message = "No broker is serving as master"
        switch lock?.holder {
        case .pid(let pid): message += "; the lock is held by pid \(pid)" + (context.lockHolderBroker.map { " (\($0), not serving yet)" } ?? "")
        case .elsewhere: message += "; the lock is held from another host"
        case .free: message += "; the lock is free"
        case .unknown, .none: break
        }
        let failover = DurationFormat.short(context.group.expectedWorstCaseFailoverMillis)
        return [Alert(
            .critical, .noMaster, message + ".",
            action: "Clients have no broker. A slave should take over within ~\(failover); if none does, check the brokers' logs and who holds the lock.")]
    }
}
