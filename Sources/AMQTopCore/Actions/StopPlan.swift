/// What stopping one broker will do, worked out before the operator confirms.
///
/// The dialog shows it: the broker, its role, the method, who should take over and how
/// fast, and a louder warning when the stop leaves the group without a master or standby.
public struct StopPlan: Equatable, Sendable {
    public var group: String
    public var broker: String
    public var role: Role
    public var method: StopMethod
    /// The broker's lock tenure start when it is the master (identifies the drill).
    public var lockAcquiredAtMillis: Int64?
    /// "b3 should take over within ~8s", or what else to expect.
    public var expectation: String
    /// Set when the stop is riskier than a normal failover drill.
    public var warning: String?
    public var expectedWorstCaseFailoverMillis: Int64

    /// Plans the stop of `broker` in `group` from the group's current verdict.
    public static func make(group: GroupConfig, broker: BrokerConfig, assessment: GroupAssessment?, lock: LockFileSnapshot?) -> StopPlan {
        let role = assessment?.broker(named: broker.name)?.role ?? .unknown
        let others = (assessment?.brokers ?? []).filter { $0.name != broker.name }
        let standbys = others.filter { $0.role == .slave || $0.role == .unknown }.map(\.name)
        let othersUp = others.filter { $0.role != .down }
        let within = "~" + DurationFormat.short(group.expectedWorstCaseFailoverMillis)
        var warning: String?
        let expectation: String
        switch role {
        case .master:
            switch standbys.count {
            case 0:
                expectation = "nobody can take over: no slave is up"
                warning = "\(broker.name) is the LAST BROKER STANDING: clients will have no broker at all."
            case 1:
                expectation = "\(standbys[0]) should take over within \(within)"
            default:
                expectation = "one of \(standbys.joined(separator: ", ")) should take over within \(within)"
            }
        case .slave, .unknown:
            expectation = "no failover: \(assessment?.master.map { "\($0) stays master" } ?? "the group has no master now")"
            warning = othersUp.isEmpty
                ? "\(broker.name) is the LAST BROKER STANDING: clients will have no broker at all."
                : "\(broker.name) is not the master (\(role.rawValue)): stopping it only removes a standby."
        case .down:
            expectation = "\(broker.name) already looks down; the stop may fail"
        }
        return StopPlan(
            group: group.name, broker: broker.name, role: role, method: broker.stop,
            lockAcquiredAtMillis: role == .master ? lock?.acquiredAtMillis : nil,
            expectation: expectation, warning: warning,
            expectedWorstCaseFailoverMillis: group.expectedWorstCaseFailoverMillis)
    }

    /// How the stop is sent, in words, e.g. "Jolokia exec stop" or "SIGTERM to the pid in /run/b1.pid".
    public func methodDescription(pidFile: String?) -> String {
        switch method {
        case .jolokia: "Jolokia exec of the broker MBean's stop"
        case .signal: "SIGTERM to the pid in \(pidFile ?? "its pid file")"
        case .command(let arguments): "run " + arguments.joined(separator: " ")
        }
    }
}
