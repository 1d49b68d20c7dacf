import AMQTopCore
import Testing
@testable import AMQTopScreen

/// Whole screens rendered as text and compared with the files in `Snapshots/`.
@Suite struct ScreenSnapshotTests {
    func render(_ state: AppState, ascii: Bool = false) -> String {
        TextRenderer.render(DashboardRenderer.render(state, context: ViewContext(glyphs: ascii ? .ascii : .unicode)))
    }

    static let all3 = [Fixtures.prod, Fixtures.orders, Fixtures.billing]
    static let all3Observed = [Fixtures.healthyProd, Fixtures.noMasterOrders, Fixtures.splitBilling]

    /// The overview at the three sizes operators have, with a week of history for the selected
    /// group: every size shows more of it, none a tall empty box.
    @Test(arguments: [(80, 24), (120, 40), (300, 100)])
    func overviewSizes(width: Int, height: Int) throws {
        let screen = render(WeekOfHistory.state(width: width, height: height))
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        // No box taller than its content: no run of three blank rows inside a panel.
        let blankInside = lines.filter { $0.hasPrefix("│") && $0.dropFirst().dropLast().allSatisfy { $0 == " " } }
        #expect(blankInside.count <= 2, "\(blankInside.count) empty rows inside panels:\n\(screen)")
        #expect(screen.contains("Who was master"), "\(screen)")
        // The timeline's legend is whole: at 80 columns (no gap summaries there) no line of its panel is cut.
        let timeline = lines.drop { !$0.contains("Who was master") }.dropFirst().prefix { !$0.hasPrefix("└") }
        #expect(!timeline.isEmpty && (width > 80 || timeline.allSatisfy { !$0.contains("…") }), "a cut timeline line:\n\(timeline.joined(separator: "\n"))")
        #expect(timeline.contains { $0.contains("billing: A bill1, B bill2") }, "every group's letters:\n\(screen)")
        if height >= 40 { #expect(screen.contains("Brokers: prod-east") && screen.contains("Lock"), "\(screen)") }
        if height >= 100 { #expect(screen.contains("MASTER SINCE"), "\(screen)") }
        try Snapshot.assert(screen, named: "overview-\(width)x\(height)")
    }

    @Test func overviewASCII() throws {
        try Snapshot.assert(render(Fixtures.state(Self.all3, observations: Self.all3Observed), ascii: true), named: "overview-80x24-ascii")
    }

    /// The hosts panel: every connection state, and an error from ssh with a newline and an
    /// escape sequence in it (text from outside) drawn as plain text on one line.
    @Test func overviewWithHostsPanel() throws {
        var state = Fixtures.state([Fixtures.prod], observations: [Fixtures.healthyProd], width: 100, height: 30)
        state.hosts = [
            HostLink(name: "amq1", destination: "amq@amq1.example.com", state: "connected", roundTripMillis: 3),
            HostLink(name: "amq2", destination: "amq2", state: "unreachable",
                     error: "ssh: connect to host amq2 port 22:\nConnection refused\u{1B}[2J"),
            HostLink(name: "amq3", destination: "amq3", state: "hostKeyChanged", error: "host key changed: possible attack"),
            HostLink(name: "amq4", destination: "amq4", state: "authFailed", error: "Permission denied (publickey)"),
            HostLink(name: "amq5", destination: "amq5", state: "timedOut", error: "no answer within 3 s"),
            HostLink(name: "amq6", destination: "amq6", state: "connecting"),
        ]
        let screen = render(state)
        #expect(!screen.contains("\u{1B}"), "an escape from outside reached the screen")
        #expect(screen.contains("host key mismatch") && screen.contains("auth failed") && screen.contains("timed out"))
        #expect(screen.contains("Connection refused"))
        try Snapshot.assert(screen, named: "overview-hosts-100x30")
    }

    /// The footer names only keys that act: no stop on a read-only dashboard, PgDn only on a
    /// panel that scrolls, no filter or open with no groups.
    @Test func footerNamesOnlyKeysThatAct() {
        func footer(_ state: AppState) -> String { String(render(state).split(separator: "\n").last ?? "") }
        var state = Fixtures.state(Self.all3, observations: Self.all3Observed)
        _ = Reducer.reduce(&state, .key(.enter))
        #expect(footer(state).contains("s stop") && !footer(state).contains("PgDn"))
        state.config.readOnly = true
        #expect(!footer(state).contains("stop"), "\(footer(state))")
        _ = Reducer.reduce(&state, .key(.backTab))
        #expect(footer(state).contains("PgDn scroll"), "\(footer(state))")
        let empty = Fixtures.state([], observations: [])
        #expect(!footer(empty).contains("filter") && !footer(empty).contains("Enter"), "\(footer(empty))")
        // At 60 columns the least needed hints give way, so the footer still ends with `q quit`.
        var narrow = Fixtures.state(Self.all3, observations: Self.all3Observed, width: 60, height: 15)
        #expect(footer(narrow).hasSuffix(" q quit") && !footer(narrow).contains("Tab panels"), "\(footer(narrow))")
        _ = Reducer.reduce(&narrow, .key(.enter))
        #expect(footer(narrow).hasSuffix(" q quit") && footer(narrow).contains("s stop"), "\(footer(narrow))")
    }

    /// On the overview the selected group's alerts overflow at 80x24 and say how to reach the
    /// rest; Tab and PgDn scroll them by whole alerts, then by panels: the brokers, the lock
    /// and the history come into view, with a row naming what is still below.
    @Test func overviewPanelsScroll() throws {
        var state = Fixtures.state(Self.all3, observations: Self.all3Observed)
        _ = Reducer.reduce(&state, .key(.down))
        let cut = render(state)
        #expect(cut.contains("more lines below (Tab, then PgDn)"), "\(cut)")
        #expect(cut.contains(" Tab panels ") && cut.contains(" q quit"), "\(cut)")
        try Snapshot.assert(cut, named: "overview-alerts-cut-80x24")
        for key in [Key.tab, .pageDown, .pageDown] { _ = Reducer.reduce(&state, .key(key)) }
        let alerts = render(state)
        #expect(alerts.contains("Alerts: orders (4, from 3)"), "\(alerts)")
        #expect(alerts.contains(" Tab list  PgDn scroll ") && alerts.contains(" q quit"), "\(alerts)")
        for key in [Key.pageDown, .pageDown] { _ = Reducer.reduce(&state, .key(key)) }
        let brokers = render(state)
        #expect(brokers.contains("Brokers: orders (alerts above: PgUp)"), "\(brokers)")
        #expect(brokers.contains("below: lock and last failovers (PgDn)"), "\(brokers)")
        try Snapshot.assert(brokers, named: "overview-panels-scrolled-80x24")
        for key in [Key.pageDown, .pageDown] { _ = Reducer.reduce(&state, .key(key)) }
        let history = render(state)
        #expect(history.contains("Last failovers: orders") && !history.contains("Brokers: orders"), "\(history)")
    }

    @Test func emptyConfig() throws {
        try Snapshot.assert(render(Fixtures.state([], observations: [])), named: "empty-config-80x24")
    }

    @Test func healthyGroup80x24() throws {
        var state = Fixtures.state(Self.all3, observations: Self.all3Observed)
        state.view = .group("prod-east")
        try Snapshot.assert(render(state), named: "group-healthy-80x24")
    }

    @Test func healthyGroup120x40() throws {
        var state = Fixtures.state(Self.all3, observations: Self.all3Observed, width: 120, height: 40)
        state.view = .group("prod-east")
        try Snapshot.assert(render(state), named: "group-healthy-120x40")
    }

    @Test func noMasterGroup() throws {
        var state = Fixtures.state(Self.all3, observations: Self.all3Observed)
        state.view = .group("orders")
        try Snapshot.assert(render(state), named: "group-no-master-80x24")
    }

    @Test func splitBrainGroup() throws {
        var state = Fixtures.state(Self.all3, observations: Self.all3Observed, width: 120, height: 40)
        state.view = .group("billing")
        try Snapshot.assert(render(state), named: "group-split-brain-120x40")
    }

    @Test func splitBrainGroupSmall() throws {
        var state = Fixtures.state(Self.all3, observations: Self.all3Observed)
        state.view = .group("billing")
        try Snapshot.assert(render(state, ascii: true), named: "group-split-brain-80x24-ascii")
    }

    @Test func stopDialogOnTheMaster() throws {
        var state = Fixtures.state(Self.all3, observations: Self.all3Observed)
        _ = Reducer.reduce(&state, .key(.enter))
        _ = Reducer.reduce(&state, .key(.character("s")))
        for c in "b" { _ = Reducer.reduce(&state, .key(.character(c))) }
        try Snapshot.assert(render(state), named: "stop-dialog-80x24")
    }

    @Test func stopDialogOnASlaveWarns() throws {
        var state = Fixtures.state(Self.all3, observations: Self.all3Observed)
        _ = Reducer.reduce(&state, .key(.enter))
        _ = Reducer.reduce(&state, .key(.down))
        _ = Reducer.reduce(&state, .key(.character("s")))
        try Snapshot.assert(render(state, ascii: true), named: "stop-dialog-slave-80x24-ascii")
    }

    /// The drill timeline half-way: the lock has moved, the new master is not serving yet.
    @Test func drillInProgress() throws {
        var state = Fixtures.state(Self.all3, observations: Self.all3Observed, width: 100, height: 40)
        state.view = .group("prod-east")
        var drill = DrillTimeline(
            group: "prod-east", oldMaster: "b1", oldAcquiredAtMillis: Fixtures.acquired, stopSentAtMillis: Fixtures.now - 1500,
            expectedWorstCaseFailoverMillis: Fixtures.prod.expectedWorstCaseFailoverMillis)
        var observation = Fixtures.healthyProd
        observation.lock?.acquiredAtMillis = Fixtures.now - 700
        observation.brokers[0] = BrokerObservation(
            name: "b1", jolokia: .failed(.refused, atMillis: Fixtures.now - 1200),
            openwire: PortObservation(atMillis: Fixtures.now - 1200, state: .refused),
            process: ProcessObservation(atMillis: Fixtures.now - 1200, pid: 4242, state: .dead))
        drill.observe(observation, assessment: GroupAssessor.assess(group: Fixtures.prod, observation: observation, nowMillis: Fixtures.now), nowMillis: Fixtures.now)
        state.drills["prod-east"] = drill
        try Snapshot.assert(render(state), named: "drill-in-progress-100x40")
    }

    @Test func historyPanelListsFailovers() throws {
        var state = Fixtures.state(Self.all3, observations: Self.all3Observed, width: 100, height: 40)
        state.view = .group("prod-east")
        let crash = FailoverEvent(
            group: "prod-east", key: FailoverEvent.lockKey(Fixtures.acquired), fromBroker: "b3", toBroker: "b1", cause: .crash,
            stopSentAtMillis: nil, detectedAtMillis: Fixtures.acquired,
            oldMasterGone: PhaseStamp(atMillis: Fixtures.acquired - 900, signal: .openwire),
            lockAcquired: PhaseStamp(atMillis: Fixtures.acquired, signal: .lockFile),
            newMasterServing: PhaseStamp(atMillis: Fixtures.acquired + 2600, signal: .jolokia))
        _ = Reducer.reduce(&state, .failovers(group: "prod-east", [crash]))
        try Snapshot.assert(render(state), named: "group-history-100x40")
    }

    @Test func help() throws {
        var state = Fixtures.state(Self.all3, observations: Self.all3Observed)
        state.view = .help(returnTo: .overview)
        try Snapshot.assert(render(state), named: "help-80x24")
    }

    @Test func waitingForFirstRound() throws {
        let state = AppState(config: AppConfig(groups: Self.all3), nowMillis: Fixtures.now)
        try Snapshot.assert(render(state), named: "waiting-80x24")
    }

    @Test func tinyTerminal() throws {
        let state = Fixtures.state(Self.all3, observations: Self.all3Observed, width: 30, height: 6)
        try Snapshot.assert(render(state), named: "tiny-30x6")
    }

    @Test func small60x15() throws {
        var state = Fixtures.state(Self.all3, observations: Self.all3Observed, width: 60, height: 15)
        state.view = .group("prod-east")
        try Snapshot.assert(render(state), named: "group-60x15")
    }

    @Test func filterTyping() throws {
        var state = Fixtures.state(Self.all3, observations: Self.all3Observed)
        for key: Key in [.character("/"), .character("o"), .character("r")] { _ = Reducer.reduce(&state, .key(key)) }
        try Snapshot.assert(render(state), named: "overview-filter-80x24")
    }

    @Test(arguments: [(0, 0), (1, 1), (2, 1), (1, 5), (39, 10), (40, 9)])
    func degenerateSizesNeverCrash(width: Int, height: Int) {
        var state = Fixtures.state(Self.all3, observations: Self.all3Observed, width: width, height: height)
        for view: AppView in [.overview, .group("prod-east"), .help(returnTo: .overview)] {
            state.view = view
            let buffer = DashboardRenderer.render(state, context: ViewContext())
            #expect(buffer.width == width && buffer.height == height)
        }
    }
}
