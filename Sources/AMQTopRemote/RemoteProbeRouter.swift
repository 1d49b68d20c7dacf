import AMQTopCore
import AMQTopProbes

/// Routes brokers with a `host:` to the SSH-backed probes and groups whose brokers have hosts
/// to the SSH lock reader; everything else to the local router, as before.
public struct RemoteProbeRouter: ProbeRouting {
    public let local: LocalProbeRouter
    public let remote: BrokerProbes
    public let lockReader: RemoteLockReader

    public init(local: LocalProbeRouter, remote: BrokerProbes, lockReader: RemoteLockReader) {
        self.local = local
        self.remote = remote
        self.lockReader = lockReader
    }

    public func probes(for broker: BrokerConfig, in group: GroupConfig) -> BrokerProbes {
        broker.host == nil ? local.probes(for: broker, in: group) : remote
    }

    public func lockRoute(for group: GroupConfig) -> LockRoute {
        guard !group.hostNames.isEmpty else { return local.lockRoute(for: group) }
        // One batch per set of hosts: groups on other hosts never wait behind a hung local mount.
        return LockRoute(batch: "ssh:" + group.hostNames.joined(separator: ","), reader: lockReader)
    }
}
