/// A master that does not hold the lock: another process holds it, or nobody does.
public struct MasterLockRule: AlertRule {
    public init() {}
    public var name: String { "master holds the lock" }

    public func alerts(_ context: AlertContext) -> [Alert] {
        guard let lock = context.lock else { return [] }
        var alerts: [Alert] = []
        for masterName in context.masters {
            guard let verdict = context.verdicts.first(where: { $0.name == masterName }) else { continue }
            let process = context.observation.broker(named: masterName)?.process
            // Holding the lock is the same pid on the same host: a pid names a process on its own host only.
            if case .pid(let holderPid) = lock.holder, let pid = process?.livePid, !verdict.holdsLock, context.masters.count == 1 {
                let holderName = context.lockHolderBroker.map { " (\($0))" } ?? ""
                let on = process?.host.map { " on \($0)" } ?? ""
                let holderOn = lock.holderHost.map { " on \($0)" } ?? ""
                alerts.append(Alert(
                    .critical, .masterNotLockHolder,
                    "\(masterName) serves as master (pid \(pid)\(on)) but the lock is held by pid \(holderPid)\(holderOn)\(holderName).",
                    action: "Split-brain risk: stop \(masterName) unless it is about to give up; check lockKeepAlivePeriod.",
                    broker: masterName))
            } else if lock.state == .ok, lock.holder == .free, !verdict.holdsLock {
                alerts.append(Alert(
                    .critical, .lockNotHeld, "\(masterName) serves as master but nobody holds the lock on \(lock.path).",
                    action: "A slave may take the lock and start too: stop \(masterName) or check that it points at this KahaDB directory.",
                    broker: masterName))
            }
        }
        return alerts
    }
}
