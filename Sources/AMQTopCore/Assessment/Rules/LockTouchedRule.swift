/// The lock file's mtime away from the timestamp its master wrote: something changed the file.
public struct LockTouchedRule: AlertRule {
    public init() {}
    public var name: String { "lock file touched" }

    public func alerts(_ context: AlertContext) -> [Alert] {
        guard let lock = context.lock, lock.mtimeMatchesTimestamp == false,
              let drift = lock.mtimeDriftMillis
        else { return [] }
        return [Alert(
            .warning, .lockTouched,
            "The lock file's mtime is \(DurationFormat.short(drift)) away from the timestamp its master wrote: something changed the file.",
            action: "Find what touches \(lock.path) (backup, sync, antivirus); with keep-alive on, the master gives up its lock when the mtime changes.")]
    }
}
