/// The alert rules of a group: what is wrong, how bad, and what to do.
///
/// Hazards are the ones ActiveMQ's own documentation names for shared file system
/// master/slave: NFSv3 never releasing a crashed master's lock, OCFS2 without
/// cluster-aware POSIX locks, and NFSv4 without keep-alive letting a slave take the lock
/// behind the master's back.
public enum AlertRules {
    /// Every alert that applies, worst first, in a stable order.
    public static func alerts(
        group: GroupConfig, observation: GroupObservation, verdicts: [BrokerVerdict], masters: [String],
        lockHolderBroker: String?, nowMillis: Int64
    ) -> [Alert] {
        var alerts: [Alert] = []
        let lock = observation.lock
        let failover = DurationFormat.short(group.expectedWorstCaseFailoverMillis)

        // Masters.
        if masters.count >= 2 {
            var message = "\(joined(masters)) all claim to be master"
            if let acquired = lock?.acquiredAtMillis {
                message += "; the lock was last acquired \(DurationFormat.short(max(0, nowMillis - acquired))) ago"
                if let holder = lockHolderBroker { message += " and is held by \(holder)" }
            }
            alerts.append(Alert(
                .critical, .splitBrain, "Split brain: " + message + ".",
                action: "Stop every master but the lock holder now; clients may be writing to two stores. Then check the filesystem's locking and lockKeepAlivePeriod."))
        } else if masters.isEmpty {
            var message = "No broker is serving as master"
            switch lock?.holder {
            case .pid(let pid): message += "; the lock is held by pid \(pid)" + (lockHolderBroker.map { " (\($0), not serving yet)" } ?? "")
            case .elsewhere: message += "; the lock is held from another host"
            case .free: message += "; the lock is free"
            case .unknown, .none: break
            }
            alerts.append(Alert(
                .critical, .noMaster, message + ".",
                action: "Clients have no broker. A slave should take over within ~\(failover); if none does, check the brokers' logs and who holds the lock."))
        }

        // The lock file.
        if let lock {
            switch lock.state {
            case .ok:
                break
            case .missing:
                alerts.append(Alert(
                    .critical, .lockMissing, "Lock file \(lock.path) does not exist.",
                    action: "Check that the shared filesystem is mounted and lockFile points into the brokers' KahaDB directory."))
            case .empty, .short:
                alerts.append(Alert(
                    .warning, .lockUnreadable, "Lock file \(lock.path) holds no acquisition timestamp (\(lock.state.summary)).",
                    action: "Normal before any broker has started; otherwise check the KahaDB directory."))
            case .permissionDenied, .isDirectory, .staleHandle, .error:
                alerts.append(Alert(
                    .warning, .lockUnreadable, "Cannot read lock file \(lock.path): \(lock.state.summary).",
                    action: "Give amqtop read access to the lock file (read-only is enough) or remount the share."))
            }
            for masterName in masters {
                guard let verdict = verdicts.first(where: { $0.name == masterName }) else { continue }
                let pid = observation.broker(named: masterName)?.process?.livePid
                if case .pid(let holderPid) = lock.holder, let pid, pid != holderPid, masters.count == 1 {
                    alerts.append(Alert(
                        .critical, .masterNotLockHolder,
                        "\(masterName) serves as master (pid \(pid)) but the lock is held by pid \(holderPid)" + (lockHolderBroker.map { " (\($0))" } ?? "") + ".",
                        action: "Split-brain risk: stop \(masterName) unless it is about to give up; check lockKeepAlivePeriod.",
                        broker: masterName))
                } else if lock.state == .ok, lock.holder == .free, !verdict.holdsLock {
                    alerts.append(Alert(
                        .critical, .lockNotHeld, "\(masterName) serves as master but nobody holds the lock on \(lock.path).",
                        action: "A slave may take the lock and start too: stop \(masterName) or check that it points at this KahaDB directory.",
                        broker: masterName))
                }
            }
            if case .pid(let holderPid) = lock.holder, lockHolderBroker == nil,
               !group.brokers.isEmpty, group.brokers.allSatisfy({ $0.pidFile != nil }) {
                alerts.append(Alert(
                    .warning, .foreignLockHolder, "The lock is held by pid \(holderPid), which is none of the group's brokers.",
                    action: "Find the process (ls -l /proc/\(holderPid)/exe): a backup or copy tool holding the lock keeps every broker a slave."))
            }
            if lock.mtimeMatchesTimestamp == false, let mtime = lock.mtimeMillis, let acquired = lock.acquiredAtMillis {
                alerts.append(Alert(
                    .warning, .lockTouched,
                    "The lock file's mtime is \(DurationFormat.short(abs(mtime - acquired))) away from the timestamp its master wrote: something changed the file.",
                    action: "Find what touches \(lock.path) (backup, sync, antivirus); with keep-alive on, the master gives up its lock when the mtime changes."))
            }
        }

        // The filesystem and keep-alive.
        let kind = lock?.filesystem?.kind ?? .unknown
        let keepAlive = group.lockKeepAlivePeriodMillis
        switch kind {
        case .nfs3:
            alerts.append(Alert(
                .warning, .nfs3, "The lock is on NFSv3: if the master crashes, the NFS server never releases its lock and no slave can take over.",
                action: "Mount the share with NFSv4 (vers=4.1 or later); ActiveMQ's documentation warns against NFSv3 for shared file system master/slave."))
        case .ocfs2:
            alerts.append(Alert(
                .warning, .ocfs2, "The lock is on OCFS2, which has no cluster-aware POSIX locks: two brokers can both think they hold the lock (AMQ-4378).",
                action: "Move the KahaDB directory to a filesystem with cluster-wide POSIX locks (GFS2, NFSv4)."))
        default:
            break
        }
        if kind.isShared, keepAlive == nil || keepAlive == 0 {
            let what = keepAlive == nil ? "lockKeepAlivePeriod is not stated in amqtop's config" : "lockKeepAlivePeriod is 0 (off)"
            let why = kind == .nfs4
                ? "on NFSv4 a slave can take the lock behind a master that stalled past the lease, and the old master keeps serving"
                : "a master that loses its lock does not notice"
            alerts.append(Alert(
                .warning, .keepAliveOff, "\(what) on a shared filesystem (\(lock?.filesystem?.type ?? "?")): \(why).",
                action: "Set lockKeepAlivePeriod on the brokers' locker (well under the NFS lease) and state it in amqtop's config."))
        }
        if kind == .nfs4, let keepAlive, keepAlive > 0, keepAlive * 2 > group.nfsLeaseMillis {
            alerts.append(Alert(
                .warning, .keepAliveVsLease,
                "lockKeepAlivePeriod \(DurationFormat.setting(keepAlive)) is not well under the NFSv4 lease (\(DurationFormat.setting(group.nfsLeaseMillis))): the master may not notice a lost lock before a slave takes it.",
                action: "Set lockKeepAlivePeriod to at most half the lease (nfsLease in amqtop's config if the server's lease is not 90s)."))
        }

        // Brokers.
        for verdict in verdicts {
            let observed = observation.broker(named: verdict.name)
            if verdict.role == .down {
                alerts.append(Alert(
                    .warning, .brokerDown, "\(verdict.name) is down (\(verdict.evidence.joined(separator: ", "))).",
                    action: "Start \(verdict.name) again so the group keeps a standby.", broker: verdict.name))
            } else if let error = observed?.jolokia?.error, error != .refused {
                alerts.append(Alert(
                    .warning, .brokerUnreachable, "\(verdict.name)'s status endpoint fails: \(error.summary).",
                    action: advice(for: error), broker: verdict.name))
            }
        }
        if masters.count == 1 {
            let standbys = verdicts.filter { $0.role != .master && $0.role != .down }
            if standbys.isEmpty {
                alerts.append(Alert(
                    .warning, .noStandby,
                    group.brokers.count == 1 ? "\(masters[0]) is the group's only broker: no failover is possible." : "Every broker but \(masters[0]) is down: no failover is possible.",
                    action: "Start a slave before any maintenance on \(masters[0])."))
            }
        }
        return alerts.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity > b.element.severity : a.offset < b.offset
        }.map(\.element)
    }

    private static func joined(_ names: [String]) -> String {
        names.count <= 2 ? names.joined(separator: " and ") : names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
    }

    private static func advice(for error: EndpointError) -> String {
        switch error {
        case .auth: "Check the username and password (passwordEnv/passwordFile) for this broker."
        case .tls: "Check the certificate, or give the CA with ca: in the config."
        case .dns, .badURL: "Check the jolokia URL in the config."
        case .timeout: "The broker or its host may be hung; check its JVM (GC, threads) and the network."
        case .redirect(_, _, true): "Check the web server or proxy in front of Jolokia: it redirects the jolokia URL to itself."
        case .redirect(_, let location?, false):
            "Set the jolokia URL to where it redirects (\(location)) if that is right; amqtop never follows a redirect with the password."
        default: "Check the Jolokia URL and the broker's web console."
        }
    }
}
