/// The lock file missing, empty or unreadable.
public struct LockFileStateRule: AlertRule {
    public init() {}
    public var name: String { "lock file state" }

    public func alerts(_ context: AlertContext) -> [Alert] {
        guard let lock = context.lock else { return [] }
        switch lock.state {
        case .ok:
            return []
        case .missing:
            return [Alert(
                .critical, .lockMissing, "Lock file \(lock.path) does not exist.",
                action: "Check that the shared filesystem is mounted and lockFile points into the brokers' KahaDB directory.")]
        case .empty, .short:
            return [Alert(
                .warning, .lockUnreadable, "Lock file \(lock.path) holds no acquisition timestamp (\(lock.state.summary)).",
                action: "Normal before any broker has started; otherwise check the KahaDB directory.")]
        case .permissionDenied, .isDirectory, .staleHandle, .error:
            return [Alert(
                .warning, .lockUnreadable, "Cannot read lock file \(lock.path): \(lock.state.summary).",
                action: "Give amqtop read access to the lock file (read-only is enough) or remount the share.")]
        }
    }
}
