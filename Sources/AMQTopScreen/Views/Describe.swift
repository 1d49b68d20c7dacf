import AMQTopCore

/// Short texts and styles for model values, shared by every view so a role reads the same everywhere.
public enum Describe {
    /// The style role of a broker role.
    public static func style(_ role: Role) -> StyleRole {
        switch role {
        case .master: .master
        case .slave: .slave
        case .down: .down
        case .unknown: .unknown
        }
    }

    /// The style role of a severity.
    public static func style(_ severity: Severity) -> StyleRole {
        switch severity {
        case .ok: .ok
        case .warning: .warning
        case .critical: .critical
        case .unknown: .unknown
        }
    }

    /// "* master", "+ slave", "x down", "? unknown": the symbol makes it readable without colour.
    public static func roleLabel(_ role: Role) -> String { "\(role.symbol) \(role.rawValue)" }

    /// A severity word as a span in its style (critical in bold so it stands out in monochrome).
    public static func severitySpan(_ severity: Severity) -> Span {
        Span(severity.word, CellStyle(style(severity), severity == .critical ? [.bold] : []))
    }

    /// The keep-alive setting: "off", "2s", or "not set" when the config does not say.
    public static func keepAlive(_ group: GroupConfig) -> String {
        guard let period = group.lockKeepAlivePeriodMillis else { return "not set" }
        return period == 0 ? "off" : DurationFormat.setting(period)
    }

    /// The endpoint column: what Jolokia answered, or why it did not.
    public static func endpoint(_ broker: BrokerConfig, _ observation: BrokerObservation?) -> Span {
        guard broker.jolokia != nil else { return Span("no endpoint", CellStyle(.dim)) }
        guard let jolokia = observation?.jolokia else { return Span("not polled yet", CellStyle(.dim)) }
        if let error = jolokia.error {
            // A refused endpoint is normal for a stock slave: dim, not alarming.
            return Span(error.summary, CellStyle(error == .refused ? .dim : .warning))
        }
        let latency = jolokia.latencyMillis >= slowAnswerMillis ? " " + DurationFormat.short(jolokia.latencyMillis) : ""
        switch jolokia.slave {
        case true?: return Span("ok Slave=true\(latency)", CellStyle(.slave))
        case false?: return Span("ok Slave=false\(latency)", CellStyle(.master))
        case nil: return Span("ok\(latency)", CellStyle(.normal))
        }
    }

    /// The round trip from which the endpoint column shows it.
    ///
    /// A quick answer's latency is jitter (4 ms, 12 ms, 7 ms on a loopback lab): redrawn every
    /// second it was most of an idle group view's bytes, and "ok" already says it answered.
    /// A slow answer, on its way to the timeout, is worth a look and is shown.
    public static let slowAnswerMillis: Int64 = 100

    /// The OpenWire column: open / refused / timeout, or "n/a" when not configured.
    public static func openwire(_ broker: BrokerConfig, _ observation: BrokerObservation?, none: String) -> Span {
        guard let endpoint = broker.openwire else { return Span("n/a", CellStyle(.dim)) }
        guard let port = observation?.openwire else { return Span("\(endpoint.port) \(none)", CellStyle(.dim)) }
        let style: StyleRole = port.state.isOpen ? .master : .dim
        return Span("\(endpoint.port) \(port.state.code)", CellStyle(style))
    }

    /// The lock holder in words: "pid 4242 = b1", "pid 4242 on amq1 = b1", "free", "another host", "unknown: why".
    public static func holder(_ lock: LockFileSnapshot, broker: String?) -> Span {
        switch lock.holder {
        case .free: return Span("free (nobody holds it)", CellStyle(.warning))
        case .pid(let pid):
            // A pid means something only on its host: name the host when it is another one.
            let host = lock.holderHost.map { " on \($0)" } ?? ""
            return Span("pid \(pid)\(host)" + (broker.map { " = \($0)" } ?? " (not a configured broker)"), CellStyle(broker == nil ? .warning : .master))
        case .elsewhere: return Span("held, holder on another host", CellStyle(.normal))
        case .unknown(let why): return Span("unknown: \(why)", CellStyle(.unknown))
        }
    }

    /// The lock age as of now, or nil when the file holds no timestamp.
    public static func lockAge(_ lock: LockFileSnapshot?, nowMillis: Int64) -> String? {
        lock?.ageMillis(nowMillis: nowMillis).map(DurationFormat.short)
    }

    /// The documented hazards of a filesystem, in a few words each (worded by `FilesystemHazard`, as the alerts are).
    public static func hazards(_ filesystem: FilesystemInfo, keepAlive: Int64?, nfsLeaseMillis: Int64 = GroupConfig.defaultNFSLeaseMillis) -> [String] {
        FilesystemHazard.detect(filesystem: filesystem, keepAliveMillis: keepAlive, nfsLeaseMillis: nfsLeaseMillis).compactMap(\.phrase)
    }
}
