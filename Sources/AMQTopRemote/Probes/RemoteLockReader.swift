import AMQTopCore
import AMQTopProbes
import Foundation

/// Reads a group's lock file on every host of the group and merges the views.
///
/// Each host is asked concurrently on its own connection, so a slow host costs only its own
/// deadline. When this machine sees the file too (it exists here), the local read joins in as
/// host `local`.
public final class RemoteLockReader: LockReading {
    public let pool: HostPool
    public let timeoutMillis: Int64
    private let localRead: @Sendable (String) async -> LockFileSnapshot?
    private let findingsStore = FindingsStore()
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

    /// The latest disagreement note per lock path (an alert of its own in the making).
    public var disagreements: [String: String] { findingsStore.all.compactMapValues(\.disagreement) }

    /// The latest merge result's notes for `path`: disagreement and orphaned hold.
    public func notes(for path: String) -> (disagreement: String?, orphanedHold: String?) {
        let entry = findingsStore.all[path]
        return (entry?.disagreement, entry?.orphanedHold)
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
        findingsStore.set(path, (merged.disagreement, merged.orphanedHold))
        return merged.snapshot
    }

    private static func bytes(_ value: Int64) -> [UInt8] {
        let raw = UInt64(bitPattern: value)
        return (0..<8).map { UInt8(truncatingIfNeeded: raw >> (56 - 8 * $0)) }
    }
}

/// The latest notes per path, shared between rounds.
private final class FindingsStore: @unchecked Sendable {
    typealias Notes = (disagreement: String?, orphanedHold: String?)
    // Guarded by `lock`; @unchecked because the lock, not the type system, makes this safe.
    private let lock = NSLock()
    private var values: [String: Notes] = [:]

    var all: [String: Notes] { lock.withLock { values } }

    func set(_ path: String, _ notes: Notes) { lock.withLock { values[path] = notes } }
}
