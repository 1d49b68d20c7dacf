/// The documented hazards of the filesystem under the lock, worded by `FilesystemHazard`.
public struct FilesystemHazardRule: AlertRule {
    public init() {}
    public var name: String { "filesystem hazards" }

    public func alerts(_ context: AlertContext) -> [Alert] {
        FilesystemHazard.detect(
            filesystem: context.lock?.filesystem, keepAliveMillis: context.group.lockKeepAlivePeriodMillis,
            nfsLeaseMillis: context.group.nfsLeaseMillis
        ).compactMap(\.alert)
    }
}
