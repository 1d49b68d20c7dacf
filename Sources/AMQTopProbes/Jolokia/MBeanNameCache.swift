import Foundation

/// Remembers each endpoint's broker MBean name once a pattern read has found it, and the
/// bulk-read body for each broker name.
actor MBeanNameCache {
    private var names: [String: String] = [:]
    /// The POST body is the same on every poll of a broker; encoding it each time was a
    /// visible share of the CPU with hundreds of brokers.
    private var bodies: [String: Data] = [:]

    func name(for endpoint: String) -> String? { names[endpoint] }

    func remember(_ name: String, for endpoint: String) { names[endpoint] = name }

    /// Drops a name that stopped working (the broker was renamed or replaced).
    func forget(_ endpoint: String) { names[endpoint] = nil }

    /// The bulk-read request for the broker MBean named `brokerName`, encoded once.
    func bulkReadBody(forBroker brokerName: String) -> Data {
        if let body = bodies[brokerName] { return body }
        let body = JolokiaRequests.bulkRead(mbean: JolokiaRequests.brokerMBean(brokerName))
        // Names come from the configuration and the brokers' answers; the bound is only a guard.
        if bodies.count >= 4096 { bodies.removeAll() }
        bodies[brokerName] = body
        return body
    }
}
