import AMQTopCore

/// One group: its brokers, lock, keep-alive timings, alerts and failover history.
///
/// The broker table always shows; the other panels get the rows left, the focused one
/// (Tab) first, so on a short terminal Tab is how you reach a panel that does not fit.
public struct GroupView: Widget {
    public var state: AppState
    public var context: ViewContext
    public var group: GroupConfig

    public init(state: AppState, context: ViewContext, group: GroupConfig) {
        self.state = state
        self.context = context
        self.group = group
    }

    /// The broker columns the screen shows, as declared in `BrokerColumn.tableOrder`.
    static let shownColumns = BrokerColumn.tableOrder.filter { $0.layout != nil }

    static let columns: [TableColumn] = shownColumns.compactMap { column in
        column.layout.map { layout in
            TableColumn(
                column.header ?? column.key, minWidth: layout.minWidth, maxWidth: layout.maxWidth, priority: layout.priority,
                alignRight: layout.alignRight, flexible: layout.flexible)
        }
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let (titleRow, body) = area.splitTop(1)
        TextLine(titleSpans, glyphs: context.glyphs).render(into: &buffer, area: titleRow)
        let brokers = state.visibleBrokers(of: group)
        let wanted = max(6, brokers.count + 4)
        let brokersHeight = min(body.height, body.height - wanted >= 5 ? wanted : max(4, body.height - 5))
        let (brokersArea, rest) = body.splitTop(brokersHeight)
        var title = "Brokers"
        if !state.filter.isEmpty { title += " (filter: \(state.filter))" }
        Panel(title: title, glyphs: context.glyphs, focused: state.focus == .brokers).render(into: &buffer, area: brokersArea)
        let rows = brokerRows
        let (tableArea, detailArea) = Panel.inner(brokersArea).splitBottom(brokersArea.height >= 6 ? 1 : 0)
        Table(columns: Self.columns, rows: rows, selected: brokers.isEmpty ? nil : state.selectedBroker, glyphs: context.glyphs)
            .render(into: &buffer, area: tableArea)
        if !detailArea.isEmpty, let broker = state.currentBroker {
            TextLine(detail(broker), glyphs: context.glyphs).render(into: &buffer, area: Rect(x: detailArea.x + 1, y: detailArea.y, width: detailArea.width - 2, height: 1))
        }
        layoutPanels(in: rest, into: &buffer)
    }

    /// "Group prod  CRITICAL  master * b1  worst-case failover 17s".
    private var titleSpans: [Span] {
        var spans = [Span("Group ", CellStyle(.dim)), Span(group.name, CellStyle(.header, [.bold])), Span("  ")]
        guard let assessment = state.assessments[group.name] else { return spans + [Span("waiting for the first poll", CellStyle(.dim))] }
        spans.append(Describe.severitySpan(assessment.status))
        spans.append(Span("  master ", CellStyle(.dim)))
        if let master = assessment.master {
            spans.append(Span("\(Role.master.symbol) \(master)", CellStyle(.master, [.bold])))
        } else if assessment.masters.count > 1 {
            spans.append(Span("SPLIT BRAIN: " + assessment.masters.joined(separator: ", "), CellStyle(.critical, [.bold, .reverse])))
        } else {
            spans.append(Span("NONE", CellStyle(.critical, [.bold, .reverse])))
        }
        if let age = Describe.lockAge(state.observations[group.name]?.lock, nowMillis: state.nowMillis) {
            spans.append(Span("  lock age ", CellStyle(.dim)))
            spans.append(Span(age, CellStyle(.normal, [.bold])))
        }
        return spans
    }

    /// The selected broker's evidence and endpoint error in full, under the table.
    private func detail(_ broker: BrokerConfig) -> [Span] {
        let verdict = state.assessments[group.name]?.broker(named: broker.name)
        var spans = [Span(broker.name, CellStyle(.header, [.bold])), Span(": ", CellStyle(.dim))]
        let evidence = verdict?.evidence ?? []
        spans.append(Span(evidence.isEmpty ? "no evidence yet" : evidence.joined(separator: ", "), CellStyle(.dim)))
        return spans
    }

    /// One broker's row.
    private func row(_ broker: BrokerConfig) -> [Span] {
        let row = BrokerRow(config: broker, group: state.observations[group.name], assessment: state.assessments[group.name])
        return Self.shownColumns.map { cell($0, row) }
    }

    /// One cell: the column's declared text, except for the columns the screen styles itself.
    private func cell(_ column: BrokerColumn, _ row: BrokerRow) -> Span {
        let none = context.glyphs.none
        switch column.key {
        case BrokerColumn.role.key:
            return row.verdict.map { Span(Describe.roleLabel($0.role), CellStyle(Describe.style($0.role), $0.role == .master ? [.bold] : [])) }
                ?? Span(none, CellStyle(.dim))
        case BrokerColumn.endpoint.key:
            return Describe.endpoint(row.config, row.observation)
        case BrokerColumn.openwire.key:
            return Describe.openwire(row.config, row.observation, none: none)
        case BrokerColumn.evidence.key:
            return Span(row.verdict?.evidence.joined(separator: ", ") ?? "", CellStyle(.dim))
        default:
            return Span(column.text(row) ?? none)
        }
    }

    /// The lock panel with the keep-alive panel to its right when there is room for both,
    /// else the one that has the focus.
    static func renderLockRow(
        lock: LockPanelView, keepAlive: KeepAlivePanelView, showKeepAliveAlone: Bool, into buffer: inout Buffer, area slot: Rect
    ) {
        let keepWidth = min(36, max(0, slot.width / 2))
        if slot.width >= 70 {
            let (left, right) = slot.splitLeft(slot.width - keepWidth)
            lock.render(into: &buffer, area: left)
            keepAlive.render(into: &buffer, area: right)
        } else if showKeepAliveAlone {
            keepAlive.render(into: &buffer, area: slot)
        } else {
            lock.render(into: &buffer, area: slot)
        }
    }

    /// The rows the lock and keep-alive panels want (borders included).
    static func lockRowHeight(lock: LockPanelView, keepAlive: KeepAlivePanelView) -> Int {
        // Room for one more line per broker whose activemq.xml is read (brokerXml:).
        min(max(lock.lines.count, keepAlive.lines.count), 7 + keepAlive.brokerFiles.count) + 2
    }

    /// The broker table's rows, one per visible broker (also drawn on the overview for the selected group).
    var brokerRows: [[Span]] { state.visibleBrokers(of: group).map(row) }

    /// Places the lock + keep-alive row, the alerts and the history in the rows left.
    private func layoutPanels(in area: Rect, into buffer: inout Buffer) {
        guard area.height >= 3 else { return }
        let lockPanel = LockPanelView(state: state, context: context, group: group, focused: state.focus == .lock)
        let brokerFiles = (state.observations[group.name]?.brokers ?? []).compactMap { broker in broker.brokerFile.map { (broker.name, $0) } }
        let keepAlivePanel = KeepAlivePanelView(
            context: context, group: group, filesystem: state.observations[group.name]?.lock?.filesystem, focused: state.focus == .keepAlive,
            brokerFiles: brokerFiles)
        let alertsPanel = AlertsPanelView(state: state, context: context, group: group, focused: state.focus == .alerts)
        let lockHeight = Self.lockRowHeight(lock: lockPanel, keepAlive: keepAlivePanel)
        let alertsHeight = alertsPanel.wantedHeight(width: area.width)
        let drill = state.drills[group.name]
        let failovers = state.recentFailovers[group.name] ?? []
        let tenures = state.timelines[group.name]?.tenures ?? []
        // A drill's timeline takes the history slot: its phases and the verdict.
        let historyHeight = drill == nil
            ? HistoryPanelView.wantedHeight(failovers: failovers.count, tenures: tenures.count) : DrillPanelView.wantedHeight
        // Built once: its timeline is read for the height and again to draw.
        let timelinePanel = TimelinePanelView(state: state, context: context, groups: [group])
        // Which sections are shown: the focused one first, then in screen order, while they fit.
        enum Section: Int { case lock, alerts, timeline, history }
        let focusedSection: Section? = {
            switch state.focus {
            case .lock, .keepAlive: .lock
            case .alerts: .alerts
            case .history: .history
            case .brokers: nil
            }
        }()
        let wanted: [Section: Int] = [
            .lock: lockHeight, .alerts: alertsHeight, .timeline: timelinePanel.wantedHeight(width: area.width), .history: historyHeight,
        ]
        let minimum: [Section: Int] = [.lock: 5, .alerts: 4, .timeline: 4, .history: 3]
        // A running drill is what the operator is watching: it goes before the timeline.
        var order: [Section] = drill == nil ? [.lock, .alerts, .timeline, .history] : [.lock, .alerts, .history, .timeline]
        if let focusedSection { order.removeAll { $0 == focusedSection }; order.insert(focusedSection, at: 0) }
        var chosen: [Section: Int] = [:]
        var left = area.height
        for section in order {
            let need = minimum[section] ?? 3
            guard left >= need else { continue }
            let take = min(wanted[section] ?? need, left)
            chosen[section] = take
            left -= take
        }
        // Spare rows go to a panel that has more to show (alerts first, they carry actions);
        // a panel never grows past its content, so what is left stays below, unboxed.
        for section in [Section.alerts, .history] where left > 0 {
            guard let got = chosen[section], let want = wanted[section], want > got else { continue }
            let more = min(left, want - got)
            chosen[section] = got + more
            left -= more
        }
        var rest = area
        for section in [Section.lock, .alerts, .timeline, .history] {
            guard let height = chosen[section] else { continue }
            let (slot, below) = rest.splitTop(height)
            rest = below
            switch section {
            case .lock:
                Self.renderLockRow(lock: lockPanel, keepAlive: keepAlivePanel, showKeepAliveAlone: state.focus == .keepAlive, into: &buffer, area: slot)
            case .alerts:
                alertsPanel.render(into: &buffer, area: slot)
            case .timeline:
                timelinePanel.render(into: &buffer, area: slot)
            case .history:
                if let drill {
                    // The drill's takeover in the history, when the old master's log told how it left.
                    let cause = state.recentFailovers[group.name]?.first {
                        $0.fromBroker == drill.oldMaster && $0.atMillis >= drill.stopSentAtMillis
                    }?.causeDetail
                    DrillPanelView(drill: drill, nowMillis: state.nowMillis, context: context, focused: state.focus == .history, group: group, cause: cause)
                        .render(into: &buffer, area: slot)
                } else {
                    HistoryPanelView(
                        failovers: failovers, nowMillis: state.nowMillis, context: context, focused: state.focus == .history,
                        scroll: state.scroll[.history] ?? 0, tenures: tenures
                    ).render(into: &buffer, area: slot)
                }
            }
        }
    }
}
