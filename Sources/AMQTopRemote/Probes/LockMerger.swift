import AMQTopCore
import AMQTopProbes

/// Merges each host's view of one lock file into one `LockFileSnapshot`, and notes what only
/// the comparison shows.
///
/// A host's `/proc/locks` lists only its own processes' locks (on NFS: that client's), so the
/// holder is found by asking every host: the one that lists a live pid holds it. No host
/// listing one means free only when every host answered; with a host out of reach the lock
/// may be held there.
public enum LockMerger {
    /// The merged snapshot and the findings beside it.
    public struct Result: Sendable, Equatable {
        public var snapshot: LockFileSnapshot
        /// Hosts whose view differs (bytes, mtime, inode): stale caches, or two stores under one path.
        public var disagreement: String?
        /// Hosts that could not be asked, with why.
        public var unreachable: [String: String]
        /// Set when every host sees the lock held and none lists its holder (the stuck-lock pattern).
        public var orphanedHold: String?
    }

    /// `views` of the hosts that answered, `unreachable` (host → reason) of those that did not.
    public static func merge(path: String, atMillis: Int64, views: [RemoteParsers.LockView], unreachable: [String: String]) -> Result {
        let readable = views.filter { $0.state == .ok || $0.size != nil }
        guard let first = readable.first ?? views.first else {
            let reason = unreachable.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
            return Result(
                snapshot: LockFileSnapshot(
                    path: path, atMillis: atMillis, state: .error("no host could read it (\(reason))"),
                    holder: .unknown("no host reachable")),
                disagreement: nil, unreachable: unreachable, orphanedHold: nil)
        }
        var snapshot = LockFileSnapshot(
            path: path, atMillis: atMillis, state: first.state, size: first.size,
            mtimeMillis: first.mtimeNanos.map { $0 / 1_000_000 }, device: first.device, inode: first.inode,
            holder: .free, mtimeNanos: first.mtimeNanos)
        if let bytes = first.bytes { snapshot.setTimestamp(fromBytes: bytes) }
        snapshot.filesystem = readable.lazy.compactMap(\.filesystem).first

        let holding = views.filter { !$0.holders.isEmpty }
        let asked = readable.filter { $0.getLock != nil }
        let seenHeld = asked.filter { $0.getLock?.held == true }
        var stuck: String?
        if let holder = holding.first, let pid = holder.holders.first {
            snapshot.holder = .pid(pid)
            snapshot.holderHost = holder.host
        } else if !seenHeld.isEmpty, !unreachable.isEmpty {
            let names = unreachable.keys.sorted().joined(separator: ", ")
            snapshot.holder = .unknown("held by a host amqtop cannot reach (\(names)): no reachable host's lock table lists the holder")
        } else if !seenHeld.isEmpty, seenHeld.count == readable.count {
            // Every host sees it held and no host's table lists the holder: a lock with no live
            // owner anywhere amqtop looks, e.g. an NFSv3 lock a crashed client never released.
            snapshot.holder = .elsewhere
            stuck = "every host (" + seenHeld.map(\.host).joined(separator: ", ")
                + ") sees the lock held, but no host's lock table lists a holder"
        } else if !unreachable.isEmpty {
            let names = unreachable.keys.sorted().joined(separator: ", ")
            snapshot.holder = .unknown("no reachable host lists a holder; it may be held on \(names), which amqtop cannot reach")
        } else if readable.isEmpty {
            snapshot.holder = .unknown("no host could read the file")
        } else if !seenHeld.isEmpty {
            snapshot.holder = .elsewhere
        }
        // Nobody can tell who is master from a FIFO or a device at the lock's path.
        if holding.isEmpty, let kind = first.notRegular { snapshot.holder = .unknown("the lock path is a \(kind)") }

        var differences: [String] = []
        for view in readable.dropFirst() {
            var what: [String] = []
            if view.bytes != first.bytes { what.append("timestamp bytes") }
            if view.mtimeNanos != first.mtimeNanos { what.append("mtime") }
            if view.inode != first.inode { what.append("inode") }
            if view.size != first.size { what.append("size") }
            if let mine = view.filesystem?.type, let theirs = first.filesystem?.type, mine != theirs { what.append("filesystem type (\(mine) vs \(theirs))") }
            if !what.isEmpty { differences.append("\(view.host) and \(first.host) see different \(what.joined(separator: ", "))") }
        }
        if holding.count > 1 {
            differences.append("lock tables of " + holding.map(\.host).joined(separator: " and ") + " all list a holder")
        }
        let disagreement = differences.isEmpty ? nil : differences.joined(separator: "; ")
        snapshot.views = LockViews(hosts: views.map(\.host), disagreement: disagreement, heldUnlisted: stuck)
        return Result(
            snapshot: snapshot, disagreement: differences.isEmpty ? nil : differences.joined(separator: "; "),
            unreachable: unreachable, orphanedHold: stuck)
    }
}
