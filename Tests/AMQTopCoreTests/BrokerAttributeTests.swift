import Testing

@testable import AMQTopCore

/// `JolokiaObservation.attributes`: what each declaration's redraw setting does to the screen's policy.
@Suite struct BrokerAttributeTests {
    /// `observation` with the attribute's property set to a value of its kind, `variant` telling two apart.
    static func setting(_ attribute: BrokerAttribute, variant: Int, in observation: JolokiaObservation) -> JolokiaObservation {
        var copy = observation
        switch attribute.value {
        case .flag(let path): copy[keyPath: path] = variant % 2 == 0
        case .text(let path): copy[keyPath: path] = "v\(variant)"
        case .count(let path): copy[keyPath: path] = Int64(variant)
        case .percent(let path): copy[keyPath: path] = variant
        case .stringMap(let path): copy[keyPath: path] = ["openwire": "tcp://h:\(variant)"]
        }
        return copy
    }

    /// Two polls differing only in one attribute redraw at once exactly when it is declared `.atOnce`.
    @Test func onlyMeasurementsWaitForTheNextTick() {
        let base = JolokiaObservation(atMillis: 1, latencyMillis: 2, slave: false)
        for attribute in JolokiaObservation.attributes {
            let first = BrokerObservation(name: "b", jolokia: Self.setting(attribute, variant: 1, in: base))
            let second = BrokerObservation(name: "b", jolokia: Self.setting(attribute, variant: 2, in: base))
            let sameOnScreen = RedrawPolicy.withoutMeasurements(first) == RedrawPolicy.withoutMeasurements(second)
            switch attribute.redraw {
            case .nextTick: #expect(sameOnScreen, "\(attribute.name) is a measurement")
            case .atOnce: #expect(!sameOnScreen, "\(attribute.name) must redraw at once")
            }
            // A measurement read versus not read at all is still a change worth drawing.
            let unread = BrokerObservation(name: "b", jolokia: base)
            if attribute.name != "Slave" {
                #expect(RedrawPolicy.withoutMeasurements(first) != RedrawPolicy.withoutMeasurements(unread), "\(attribute.name)")
            }
        }
        #expect(JolokiaObservation.measurements.map(\.name)
            == ["UptimeMillis", "CurrentConnectionsCount", "TotalMessageCount", "StorePercentUsage", "MemoryPercentUsage"])
    }
}
