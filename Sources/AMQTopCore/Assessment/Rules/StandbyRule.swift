/// Whether the master has a standby: none left (`NO_STANDBY`), or none that can be
/// confirmed (`NO_STANDBY_CONFIRMED`).
///
/// Both are judged only with exactly one master (no master and split brain have alerts of
/// their own). A standby is any other broker not `down`. When every standby is `unknown`,
/// nothing says one could take over: stock slaves without pid files, hosts that cannot be
/// reached, and slaves killed unseen all look like that, so the group is not OK.
public struct StandbyRule: AlertRule {
    public init() {}
    public var name: String { "standby" }

    public func alerts(_ context: AlertContext) -> [Alert] {
        guard context.masters.count == 1 else { return [] }
        let master = context.masters[0]
        let standbys = context.verdicts.filter { $0.role != .master && $0.role != .down }
        if standbys.isEmpty {
            return [Alert(
                .warning, .noStandby,
                context.group.brokers.count == 1 ? "\(master) is the group's only broker: no failover is possible." : "Every broker but \(master) is down: no failover is possible.",
                action: "Start a slave before any maintenance on \(master).")]
        }
        guard standbys.allSatisfy({ $0.role == .unknown }) else { return [] }
        let reasons = standbys.map { verdict in
            "\(verdict.name): \(context.evidence(of: verdict.name)?.unconfirmedReason ?? "no signal")"
        }
        return [Alert(
            .warning, .noStandbyConfirmed,
            "No standby for \(master) can be confirmed (\(reasons.joined(separator: "; "))).",
            action: "Give each broker a pidFile (on its host) or let its endpoint answer as a slave (startAsync), so amqtop can see a standby is there.")]
    }
}
