import AMQTopCore

/// The groups overview: one line per group, who was master over the chosen window, the broker
/// hosts' connections (when configured), and the selected group's alerts, brokers, lock and
/// last failovers below, as far as the rows go.
public struct OverviewView: Widget {
    public var state: AppState
    public var context: ViewContext

    public init(state: AppState, context: ViewContext) {
        self.state = state
        self.context = context
    }

    /// The groups table's columns; the least useful go first on narrow screens.
    static let columns: [TableColumn] = [
        TableColumn("GROUP", minWidth: 8, maxWidth: 24, priority: 0, flexible: true),
        TableColumn("STATUS", minWidth: 8, priority: 0),
        TableColumn("MASTER", minWidth: 10, maxWidth: 20, priority: 0),
        TableColumn("LOCK AGE", minWidth: 8, priority: 1),
        TableColumn("KEEP-ALIVE", minWidth: 10, priority: 2),
        TableColumn("LAST FAILOVER", minWidth: 13, priority: 4),
        TableColumn("ALERTS", minWidth: 6, priority: 3, alignRight: true),
    ]

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let groups = state.visibleGroups
        var title = "Groups"
        if !state.filter.isEmpty { title += " (filter: \(state.filter))" }
        if state.config.groups.isEmpty {
            Panel(title: title, glyphs: context.glyphs).render(into: &buffer, area: area)
            let inner = Panel.inner(area)
            let lines = [
                "No groups configured.",
                "",
                "Give a config file with groups of brokers that share one",
                "KahaDB lock file (amqtop --config FILE), or see amqtop --help.",
            ]
            for (index, line) in lines.enumerated() {
                TextLine(line, CellStyle(index == 0 ? .warning : .normal), glyphs: context.glyphs).render(into: &buffer, area: Rect(x: inner.x + 1, y: inner.y + index + 1, width: inner.width - 2, height: 1))
            }
            return
        }
        // The table takes what it needs; the selected group's alerts get the rest, if it is worth it.
        let tableHeight = min(area.height, max(4, groups.count + 3))
        let (top, rest) = area.splitTop(rest(area, tableHeight) >= 4 ? tableHeight : area.height)
        Panel(title: title, glyphs: context.glyphs).render(into: &buffer, area: top)
        let rows = groups.map(row)
        Table(columns: Self.columns, rows: rows, selected: groups.isEmpty ? nil : state.selectedGroup, glyphs: context.glyphs)
            .render(into: &buffer, area: Panel.inner(top))
        if groups.isEmpty {
            TextLine("no group or broker matches \"\(state.filter)\"", CellStyle(.dim), glyphs: context.glyphs)
                .render(into: &buffer, area: Panel.content(top).row(1))
        }
        // Under the groups: who was master (one line per group), the hosts (when configured),
        // then the selected group in as much detail as the rows left allow.
        var below = rest
        if !groups.isEmpty {
            let timelineHeight = TimelinePanelView.wantedHeight(groups: max(2, groups.count))
            if below.height >= timelineHeight + 3 {
                let (slot, remainder) = below.splitTop(timelineHeight)
                TimelinePanelView(state: state, context: context, groups: groups).render(into: &buffer, area: slot)
                below = remainder
            }
        }
        let hostsHeight = HostsPanelView.height(for: state.hosts)
        if hostsHeight > 0, below.height >= hostsHeight {
            let (hostsArea, remainder) = below.splitTop(hostsHeight)
            HostsPanelView(hosts: state.hosts, context: context).render(into: &buffer, area: hostsArea)
            below = remainder
        }
        // The selected group first; on a tall terminal the other groups follow, each as far as it fits.
        guard let selected = state.currentGroup else { return }
        for group in [selected] + groups.filter({ $0.name != selected.name }) {
            guard below.height >= 3 else { break }
            let used = renderSelected(group, into: &buffer, area: below)
            below = below.splitTop(used).1
        }
    }

    /// A group below the list: its alerts (as tall as they are), its brokers, its lock, then
    /// its last failovers and tenures as far as they fit; returns the rows it took.
    private func renderSelected(_ group: GroupConfig, into buffer: inout Buffer, area: Rect) -> Int {
        var below = area
        let alerts = AlertsPanelView(state: state, context: context, group: group, focused: false)
        let alertsHeight = min(alerts.wantedHeight(width: below.width), below.height)
        let (alertsArea, afterAlerts) = below.splitTop(alertsHeight)
        alerts.render(into: &buffer, area: alertsArea)
        below = afterAlerts
        let detail = GroupView(state: state, context: context, group: group)
        let brokerRows = detail.brokerRows
        let brokersHeight = brokerRows.count + 3
        guard below.height >= brokersHeight else { return area.height - below.height }
        let (brokersArea, afterBrokers) = below.splitTop(brokersHeight)
        Panel(title: "Brokers: \(group.name) (Enter for the group)", glyphs: context.glyphs).render(into: &buffer, area: brokersArea)
        Table(columns: GroupView.columns, rows: brokerRows, selected: nil, glyphs: context.glyphs).render(into: &buffer, area: Panel.inner(brokersArea))
        below = afterBrokers
        let lock = LockPanelView(state: state, context: context, group: group, focused: false)
        let brokerFiles = (state.observations[group.name]?.brokers ?? []).compactMap { broker in broker.brokerFile.map { (broker.name, $0) } }
        let keepAlive = KeepAlivePanelView(
            context: context, group: group, filesystem: state.observations[group.name]?.lock?.filesystem, focused: false, brokerFiles: brokerFiles)
        let lockHeight = GroupView.lockRowHeight(lock: lock, keepAlive: keepAlive)
        guard below.height >= lockHeight else { return area.height - below.height }
        let (lockArea, afterLock) = below.splitTop(lockHeight)
        GroupView.renderLockRow(lock: lock, keepAlive: keepAlive, showKeepAliveAlone: false, into: &buffer, area: lockArea)
        below = afterLock
        guard below.height >= 4 else { return area.height - below.height }
        let failovers = state.recentFailovers[group.name] ?? []
        let tenures = state.timelines[group.name]?.tenures ?? []
        // With the tenures when they fit whole, else the failovers alone (no half-empty box).
        let full = HistoryPanelView.wantedHeight(failovers: failovers.count, tenures: tenures.count)
        let historyHeight = below.height >= full ? full : min(below.height, HistoryPanelView.wantedHeight(failovers: failovers.count, tenures: 0))
        HistoryPanelView(
            failovers: failovers, nowMillis: state.nowMillis, context: context, focused: false,
            tenures: below.height >= full ? tenures : [], title: "Last failovers: \(group.name)"
        ).render(into: &buffer, area: below.splitTop(historyHeight).0)
        return area.height - below.height + historyHeight
    }

    private func rest(_ area: Rect, _ tableHeight: Int) -> Int { area.height - tableHeight }

    /// "3m12s ago" since the group's newest failover, from the history; a dash when none.
    private func lastFailover(_ group: GroupConfig) -> Span {
        guard let last = state.recentFailovers[group.name]?.first else { return Span(context.glyphs.none, CellStyle(.dim)) }
        return Span(DurationFormat.short(max(0, state.nowMillis - last.atMillis)) + " ago")
    }

    /// One group's row.
    private func row(_ group: GroupConfig) -> [Span] {
        let none = context.glyphs.none
        guard let assessment = state.assessments[group.name] else {
            return [Span(group.name), Span("waiting", CellStyle(.dim)), Span(none, CellStyle(.dim)),
                    Span(Describe.lockAge(state.observations[group.name]?.lock, nowMillis: state.nowMillis) ?? none),
                    Span(Describe.keepAlive(group)), Span(none, CellStyle(.dim)), Span(none, CellStyle(.dim))]
        }
        let master: Span
        if let name = assessment.master {
            master = Span("\(Role.master.symbol) \(name)", CellStyle(.master, [.bold]))
        } else if assessment.masters.count > 1 {
            master = Span("SPLIT " + assessment.masters.joined(separator: ","), CellStyle(.critical, [.bold]))
        } else {
            master = Span("NONE", CellStyle(.critical, [.bold]))
        }
        let age = Describe.lockAge(state.observations[group.name]?.lock, nowMillis: state.nowMillis) ?? none
        let keepAlive = Describe.keepAlive(group)
        let alertCount = assessment.alerts.count
        let alertStyle = alertCount == 0 ? CellStyle(.dim) : CellStyle(Describe.style(assessment.status))
        return [
            Span(group.name), Describe.severitySpan(assessment.status), master, Span(age),
            Span(keepAlive, CellStyle(keepAlive == "off" || keepAlive == "not set" ? .warning : .normal)),
            lastFailover(group), Span("\(alertCount)", alertStyle),
        ]
    }
}
