/// The lock held by a process that is none of the group's brokers.
///
/// Only said when every broker has a pid file: otherwise an unlisted broker may be the holder.
public struct ForeignLockHolderRule: AlertRule {
    public init() {}
    public var name: String { "foreign lock holder" }

    public func alerts(_ context: AlertContext) -> [Alert] {
        guard case .pid(let holderPid) = context.lock?.holder, context.lockHolderBroker == nil,
              !context.group.brokers.isEmpty, context.group.brokers.allSatisfy({ $0.pidFile != nil })
        else { return [] }
        return [Alert(
            .warning, .foreignLockHolder, "The lock is held by pid \(holderPid), which is none of the group's brokers.",
            action: "Find the process (ls -l /proc/\(holderPid)/exe): a backup or copy tool holding the lock keeps every broker a slave.")]
    }
}
