/// A lock file whose first 8 bytes are no time a master could have written.
///
/// ActiveMQ writes `System.currentTimeMillis()` there; a value before 2000, negative or far
/// ahead of this host's clock means something else wrote the file (or `lockFile` points at
/// a file that is no KahaDB lock). The value is shown as it is and never used for the lock
/// age, the mtime check or the history, where it read as "0ms" or a year 506713.
public struct ImplausibleLockTimestampRule: AlertRule {
    public init() {}
    public var name: String { "implausible lock timestamp" }

    public func alerts(_ context: AlertContext) -> [Alert] {
        guard let lock = context.lock, let raw = lock.implausibleTimestampMillis else { return [] }
        let why = LockFileSnapshot.timestampProblem(raw, atMillis: lock.atMillis) ?? "implausible"
        return [Alert(
            .warning, .lockTimestampImplausible,
            "Lock file \(lock.path) starts with \(raw), which is no time a master wrote (\(why)): lock age and failovers cannot be judged from it.",
            action: "Check that lockFile is the brokers' KahaDB lock and find what wrote to it; the next master to take the lock writes a real timestamp.")]
    }
}
