import AMQTopCore
import Testing
@testable import AMQTopScreen

/// The new cause text and per-broker values on screen: the keep-alive panel with `brokerXml:`,
/// and the history panel's WHY column, shown only when a log told a cause.
struct BrokerFilePanelTests {
    static let group = GroupConfig(
        name: "orders", lockFile: "/srv/orders/lock", lockKeepAlivePeriodMillis: 2000, lockAcquireSleepIntervalMillis: 1000,
        brokers: [BrokerConfig(name: "b1"), BrokerConfig(name: "b2")])

    static func reading(keepAlive: Int64, useLock: Bool = true) -> BrokerFileReading {
        BrokerFileReading(file: "/opt/b/conf/activemq.xml", atMillis: 0, definition: BrokerDefinition(
            file: "/opt/b/conf/activemq.xml", line: 3, brokerName: "b", store: .sharedFile(element: "kahaDB", directory: "/srv/orders"),
            useLock: useLock, lockKeepAlivePeriodMillis: keepAlive, lockAcquireSleepIntervalMillis: 1000))
    }

    @Test func theKeepAlivePanelListsEachBrokersOwnValuesAndMarksDrift() {
        let panel = KeepAlivePanelView(
            context: ViewContext(), group: Self.group, focused: false,
            brokerFiles: [("b1", Self.reading(keepAlive: 2000)), ("b2", Self.reading(keepAlive: 5000, useLock: false))])
        let extra = panel.lines.suffix(2)
        #expect(extra.map(\.0) == ["b1 activemq.xml", "b2 activemq.xml"])
        #expect(extra.map { $0.1.map(\.text).joined() } == ["keep-alive 2s, acquire 1s", "keep-alive 5s, acquire 1s, useLock=false"])
        #expect(extra.map { $0.1.first?.style == CellStyle(.warning) } == [false, true])
        // Without brokerXml the four settings alone (no NFS lease: no filesystem seen yet).
        #expect(KeepAlivePanelView(context: ViewContext(), group: Self.group, focused: false).lines.count == 4)
    }

    @Test func theHistoryPanelShowsWhyOnlyWhenALogToldIt() {
        var event = FailoverEvent(
            group: "orders", key: "lock:1", fromBroker: "b1", toBroker: "b2", cause: .lockLost, detectedAtMillis: 1,
            newMasterServing: PhaseStamp(atMillis: 2, signal: .jolokia),
            causeDetail: "b1 gave up the lock: its keep-alive saw the lock file change")
        func screen(_ events: [FailoverEvent]) -> String {
            var buffer = Buffer(width: 140, height: 5)
            HistoryPanelView(failovers: events, nowMillis: 10, context: ViewContext(glyphs: .ascii), focused: false)
                .render(into: &buffer, area: Rect(x: 0, y: 0, width: 140, height: 5))
            return TextRenderer.render(buffer)
        }
        let told = screen([event])
        #expect(told.contains("WHY") && told.contains("b1 gave up the lock: its keep-alive saw the lock file change"), "\(told)")
        event.causeDetail = nil
        #expect(!screen([event]).contains("WHY"))
    }

    @Test func theDrillTimelineSaysHowTheOldMasterLeftWhenItsLogTold() {
        var drill = DrillTimeline(group: "orders", oldMaster: "b1", oldAcquiredAtMillis: 1_000, stopSentAtMillis: 10_000, expectedWorstCaseFailoverMillis: 8_000)
        let gone = GroupObservation(name: "orders", brokers: [
            BrokerObservation(name: "b1", jolokia: .failed(.refused, atMillis: 10_400), process: ProcessObservation(atMillis: 10_400, pid: 7, state: .dead)),
            BrokerObservation(name: "b2"),
        ])
        let group = GroupConfig(name: "orders", lockKeepAlivePeriodMillis: 2000, lockAcquireSleepIntervalMillis: 1000,
                                brokers: [BrokerConfig(name: "b1", pidFile: "/run/b1.pid"), BrokerConfig(name: "b2")])
        drill.observe(gone, assessment: GroupAssessor.assess(group: group, observation: gone, nowMillis: 10_500), nowMillis: 10_500)
        func goneLine(_ cause: String?) -> String {
            let panel = DrillPanelView(drill: drill, nowMillis: 10_500, context: ViewContext(), focused: false, cause: cause)
            return panel.lines.map { $0.map(\.text).joined() }.first { $0.contains("old master gone") } ?? ""
        }
        #expect(goneLine("b1 shut down cleanly").hasSuffix("; log: b1 shut down cleanly"), "\(goneLine("b1 shut down cleanly"))")
        #expect(!goneLine(nil).contains("log:"))
    }
}
