import AMQTopCore
import AMQTopProbes

/// Reads a group's lock file on every host of the group and merges the views.
///
/// Each host is asked concurrently on its own connection, so a slow host costs only its own
/// deadline. When this machine sees the file too (it exists here), the local read joins in as
/// host `local`.
public final class RemoteLockReader: LockReading {
    public let pool: HostPool
    public let timeoutMillis: Int64
    private let localRead: @Sendable (String) async -> LockFileSnapshot?
    private let clock: any AppClock

    public init(
        pool: HostPool, timeoutMillis: Int64, clock: any AppClock = SystemClock(),
        localRead: @escaping @Sendable (String) async -> LockFileSnapshot?
    ) {
        self.clock = clock
        self.pool = pool
        self.timeoutMillis = timeoutMillis
        self.localRead = localRead
    }

    /// Every group's merged snapshot, read concurrently (each host's requests have their own
    /// deadline, so a group is delivered within about one deadline even when a host hangs).
    public func readLocks(
        of groups: [GroupConfig], deliver: @escaping @Sendable (_ group: String, LockFileSnapshot) -> Void
    ) async -> [String: LockFileSnapshot] {
        await withTaskGroup(of: (String, LockFileSnapshot?).self) { tasks in
            for group in groups where group.lockFile != nil {
                tasks.addTask {
                    let snapshot = await self.read(group)
                    if let snapshot { deliver(group.name, snapshot) }
                    return (group.name, snapshot)
                }
            }
            var read: [String: LockFileSnapshot] = [:]
            for await (name, snapshot) in tasks { read[name] = snapshot }
            return read
        }
    }

    /// The merged snapshot of `group`'s lock file as its hosts see it; nil without a lock file or hosts.
    public func read(_ group: GroupConfig) async -> LockFileSnapshot? {
        guard let path = group.lockFile, !group.hostNames.isEmpty, let script = RemoteScripts.lock(file: path) else { return nil }
        let hosts = group.hostNames
        let results = await withTaskGroup(of: (String, Result<RemoteParsers.LockView, RemoteFailure>).self) { tasks in
            for host in hosts {
                tasks.addTask {
                    guard let connection = self.pool.connection(host) else {
                        return (host, .failure(RemoteFailure(host: host, state: .failed("not configured"))))
                    }
                    switch await connection.run(script, timeoutMillis: self.timeoutMillis) {
                    case .success(let reply): return (host, .success(RemoteParsers.lockView(reply.text, host: host)))
                    case .failure(let failure): return (host, .failure(failure))
                    }
                }
            }
            var collected: [String: Result<RemoteParsers.LockView, RemoteFailure>] = [:]
            for await (host, result) in tasks { collected[host] = result }
            return collected
        }
        var views: [RemoteParsers.LockView] = []
        var unreachable: [String: String] = [:]
        for host in hosts {
            switch results[host] {
            case .success(let view)?: views.append(view)
            case .failure(let failure)?: unreachable[host] = failure.state.error ?? failure.state.code
            case nil: break
            }
        }
        if let local = await localRead(path), local.state != .missing {
            views.append(RemoteParsers.LockView(
                host: "local", state: local.state, size: local.size, mtimeNanos: local.mtimeNanos, device: local.device,
                inode: local.inode, bytes: local.acquiredAtMillis.map(Self.bytes), holders: local.holder.pid.map { [$0] } ?? []))
        }
        let merged = LockMerger.merge(path: path, atMillis: clock.nowMillis(), views: views, unreachable: unreachable)
        // The comparison travels on the snapshot, for the alert rules (LOCK_VIEWS_DISAGREE, STUCK_LOCK).
        return merged.snapshot
    }

    private static func bytes(_ value: Int64) -> [UInt8] {
        let raw = UInt64(bitPattern: value)
        return (0..<8).map { UInt8(truncatingIfNeeded: raw >> (56 - 8 * $0)) }
    }
}
