/// Remembers each endpoint's broker MBean name once a pattern read has found it.
actor MBeanNameCache {
    private var names: [String: String] = [:]

    func name(for endpoint: String) -> String? { names[endpoint] }

    func remember(_ name: String, for endpoint: String) { names[endpoint] = name }

    /// Drops a name that stopped working (the broker was renamed or replaced).
    func forget(_ endpoint: String) { names[endpoint] = nil }
}
