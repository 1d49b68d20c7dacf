/// A lock every host sees held, that no host's lock table lists, while no broker serves.
///
/// The seeds' NFSv3 failure: a crashed client's lock is never released on the server, the
/// slaves "cannot start up", and the way out is to reboot every broker host. Told apart from
/// a holder on a host amqtop cannot reach: the lock reader sets `heldUnlisted` only when
/// every host answered.
public struct StuckLockRule: AlertRule {
    public init() {}
    public var name: String { "stuck lock" }

    public func alerts(_ context: AlertContext) -> [Alert] {
        guard let detail = context.lock?.views?.heldUnlisted else { return [] }
        // A broker that serves (Slave=false, or its OpenWire port open) holds the lock in
        // fact, whatever the lock tables say: not stuck.
        let serving = context.observation.brokers.contains { broker in
            broker.jolokia?.slave == false || broker.openwire?.state.isOpen == true
        }
        guard !serving else { return [] }
        return [Alert(
            .critical, .stuckLock,
            "No broker serves and the lock is held by nobody amqtop can see: \(detail). This is the NFSv3 failure of shared file system master/slave: a crashed client's lock is never released and the slaves cannot start up.",
            action: "Restart every broker host of the group (a reboot releases the dead client's locks on the NFS server), or clear the lock on the NFS server (e.g. restart its lock manager); then prefer NFSv4 with lockKeepAlivePeriod.")]
    }
}
