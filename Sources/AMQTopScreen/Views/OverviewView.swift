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
            let timeline = TimelinePanelView(state: state, context: context, groups: groups)
            let timelineHeight = timeline.wantedHeight(width: below.width)
            if below.height >= timelineHeight + 3 {
                let (slot, remainder) = below.splitTop(timelineHeight)
                timeline.render(into: &buffer, area: slot)
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
    ///
    /// The selected group scrolls by stops (`ScrollablePanel.overview`) once Tab gave it the
    /// keys: each alert, then the brokers, the lock row, the history. What does not fit is named
    /// on the last panel's bottom border, so every panel is reachable and none is lost without a word.
    private func renderSelected(_ group: GroupConfig, into buffer: inout Buffer, area: Rect) -> Int {
        let isSelected = group.name == state.currentGroup?.name
        let focused = state.overviewDetailFocused && isSelected
        let alertCount = state.assessments[group.name]?.alerts.count ?? 0
        let alertStops = max(1, alertCount)
        let stop = focused ? min(max(0, state.scroll[.overview] ?? 0), ScrollablePanel.overviewStops(alerts: alertCount) - 1) : 0

        let alerts = AlertsPanelView(state: state, context: context, group: group, focused: focused, fromAlert: min(stop, alertStops - 1))
        let detail = GroupView(state: state, context: context, group: group)
        let brokerRows = detail.brokerRows
        let lock = LockPanelView(state: state, context: context, group: group, focused: false)
        let brokerFiles = (state.observations[group.name]?.brokers ?? []).compactMap { broker in broker.brokerFile.map { (broker.name, $0) } }
        let keepAlive = KeepAlivePanelView(
            context: context, group: group, filesystem: state.observations[group.name]?.lock?.filesystem, focused: false, brokerFiles: brokerFiles)
        let failovers = state.recentFailovers[group.name] ?? []
        let tenures = state.timelines[group.name]?.tenures ?? []

        enum Section { case alerts, brokers, lock, history }
        var sections: [(section: Section, height: Int, name: String)] = []
        if stop < alertStops { sections.append((.alerts, alerts.wantedHeight(width: area.width), "alerts")) }
        if stop <= alertStops { sections.append((.brokers, brokerRows.count + 3, "brokers")) }
        if stop <= alertStops + 1 { sections.append((.lock, GroupView.lockRowHeight(lock: lock, keepAlive: keepAlive), "lock")) }
        let fullHistory = HistoryPanelView.wantedHeight(failovers: failovers.count, tenures: tenures.count)
        sections.append((.history, fullHistory, "last failovers"))

        var left = area.height
        var below = area
        var skipped: [String] = []
        for (section, height, name) in sections {
            guard skipped.isEmpty else {
                skipped.append(name)
                continue
            }
            switch section {
            case .alerts:
                // Too tall even alone: the panel takes every row and says itself how many lines are below.
                if height > left {
                    alerts.render(into: &buffer, area: area)
                    return area.height
                }
                alerts.render(into: &buffer, area: below.splitTop(height).0)
            case .brokers:
                // Cut rather than left out when a border, the header and a broker fit: the rest is named below.
                guard left >= min(height, 4) else { skipped.append(name); continue }
                let taken = min(height, left)
                let title = stop >= alertStops ? "Brokers: \(group.name) (alerts above: PgUp)" : "Brokers: \(group.name) (Enter for the group)"
                let slot = below.splitTop(taken).0
                Panel(title: title, glyphs: context.glyphs).render(into: &buffer, area: slot)
                let shown = taken - 3
                Table(columns: GroupView.columns, rows: Array(brokerRows.prefix(shown)), selected: nil, glyphs: context.glyphs)
                    .render(into: &buffer, area: Panel.inner(slot))
                if shown < brokerRows.count { skipped.append(EnglishText.count(brokerRows.count - shown, "more broker")) }
                below = below.splitTop(taken).1
                left -= taken
                continue
            case .lock:
                guard left >= height else { skipped.append(name); continue }
                GroupView.renderLockRow(lock: lock, keepAlive: keepAlive, showKeepAliveAlone: false, into: &buffer, area: below.splitTop(height).0)
            case .history:
                // With the tenures when they fit whole, else the failovers alone (no half-empty box).
                guard left >= 4 else { skipped.append(name); continue }
                let taken = left >= height ? height : min(left, HistoryPanelView.wantedHeight(failovers: failovers.count, tenures: 0))
                HistoryPanelView(
                    failovers: failovers, nowMillis: state.nowMillis, context: context, focused: false,
                    tenures: left >= height ? tenures : [], title: "Last failovers: \(group.name)", moreKeys: "Enter for all"
                ).render(into: &buffer, area: below.splitTop(taken).0)
                below = below.splitTop(taken).1
                left -= taken
                continue
            }
            below = below.splitTop(height).1
            left -= height
        }
        let used = area.height - below.height
        // Only the selected group scrolls (Tab): the other groups show what fits.
        guard isSelected, !skipped.isEmpty, used > 0 else { return used }
        // On the last panel's bottom border, so the marker costs no row.
        let how = focused ? "PgDn" : "Tab, then PgDn"
        let marker = " \(context.glyphs.ellipsis) below: \(EnglishText.list(skipped)) (\(how)) "
        TextLine(marker, CellStyle(.dim), glyphs: context.glyphs)
            .render(into: &buffer, area: Rect(x: area.x + 2, y: area.y + used - 1, width: min(DisplayWidth.of(marker), max(0, area.width - 4)), height: 1))
        // The rest stays empty: another group drawn under a cut one would read as its continuation.
        return area.height
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
