/// A master that does not hold the lock: another process holds it, or nobody does.
public struct MasterLockRule: AlertRule {
    public init() {}
    public var name: String { "master holds the lock" }

    public func alerts(_ context: AlertContext) -> [Alert] {
        guard let lock = context.lock else { return [] }
        var alerts: [Alert] = []
        for masterName in context.masters {
            guard let verdict = context.verdicts.first(where: { $0.name == masterName }) else { continue }
            let pid = context.observation.broker(named: masterName)?.process?.livePid
            if case .pid(let holderPid) = lock.holder, let pid, !verdict.holdsLock, context.masters.count == 1 {
                let holderName = context.lockHolderBroker.map { " (\($0))" } ?? ""
                alerts.append(Alert(
                    .critical, .masterNotLockHolder,
                    "\(masterName) serves as master (pid \(pid)) but the lock is held by pid \(holderPid)\(holderName).",
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
