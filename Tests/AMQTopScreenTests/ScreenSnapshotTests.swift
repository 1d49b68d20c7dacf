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

    @Test func overview80x24() throws {
        try Snapshot.assert(render(Fixtures.state(Self.all3, observations: Self.all3Observed)), named: "overview-80x24")
    }

    @Test func overview120x40() throws {
        try Snapshot.assert(render(Fixtures.state(Self.all3, observations: Self.all3Observed, width: 120, height: 40)), named: "overview-120x40")
    }

    @Test func overviewASCII() throws {
        try Snapshot.assert(render(Fixtures.state(Self.all3, observations: Self.all3Observed), ascii: true), named: "overview-80x24-ascii")
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
