import AMQTopCore

/// The keep-alive panel: the two lock timings and the worst-case failover they imply.
public struct KeepAlivePanelView: Widget {
    public var context: ViewContext
    public var group: GroupConfig
    /// The lock file's filesystem as last seen: the NFS lease is shown only on NFS.
    public var filesystem: FilesystemInfo?
    public var focused: Bool
    /// The brokers' own `activemq.xml` values (`brokerXml:`), by broker, in configuration order.
    public var brokerFiles: [(broker: String, reading: BrokerFileReading)]

    public init(
        context: ViewContext, group: GroupConfig, filesystem: FilesystemInfo? = nil, focused: Bool,
        brokerFiles: [(broker: String, reading: BrokerFileReading)] = []
    ) {
        self.context = context
        self.group = group
        self.filesystem = filesystem
        self.focused = focused
        self.brokerFiles = brokerFiles
    }

    /// True when the lock is on NFS, the only filesystem whose locks are leased.
    var showsLease: Bool {
        guard let filesystem else { return false }
        return filesystem.kind == .nfs3 || filesystem.kind == .nfs4 || filesystem.type.lowercased().hasPrefix("nfs")
    }

    public var lines: [(String, [Span])] {
        let keepAlive = Describe.keepAlive(group)
        var lines: [(String, [Span])] = [
            ("lockKeepAlivePeriod", [Span(keepAlive, CellStyle(keepAlive == "off" || keepAlive == "not set" ? .warning : .ok))]),
            ("lockAcquireSleepInterval", [Span(DurationFormat.setting(group.lockAcquireSleepIntervalMillis))]),
            ("broker start time", [Span(DurationFormat.setting(group.startTimeMillis), CellStyle(.dim))]),
            // Worst case: a slave just missed the lock, then sleeps one keep-alive, then starts.
            ("worst-case failover", [Span(DurationFormat.short(group.expectedWorstCaseFailoverMillis), CellStyle(.normal, [.bold]))]),
        ]
        // An NFS lease on ext4 or tmpfs would be a setting that does not apply there.
        if showsLease { lines.append(("NFS lease", [Span(DurationFormat.setting(group.nfsLeaseMillis), CellStyle(.dim))])) }
        return lines + brokerFiles.map { broker, reading in
            guard let definition = reading.definition else {
                return ("\(broker) activemq.xml", [Span("unreadable", CellStyle(.warning))])
            }
            // Each broker's own values: what differs from amqtop.yaml is marked.
            let keepAlive = DurationFormat.setting(definition.lockKeepAlivePeriodMillis)
            let acquire = DurationFormat.setting(definition.lockAcquireSleepIntervalMillis)
            let drifts = (group.lockKeepAlivePeriodMillis.map { $0 != definition.lockKeepAlivePeriodMillis } ?? false)
                || definition.lockAcquireSleepIntervalMillis != group.lockAcquireSleepIntervalMillis || !definition.useLock
            let text = "keep-alive \(keepAlive), acquire \(acquire)" + (definition.useLock ? "" : ", useLock=false")
            return ("\(broker) activemq.xml", [Span(text, CellStyle(drifts ? .warning : .normal))])
        }
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        Panel(title: "Keep-alive", glyphs: context.glyphs, focused: focused).render(into: &buffer, area: area)
        LabelledLines(lines: lines, glyphs: context.glyphs).render(into: &buffer, area: Panel.content(area))
    }
}
