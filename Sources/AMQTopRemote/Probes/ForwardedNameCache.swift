/// The broker MBean names found by a pattern read, per host and endpoint, so a poll through a
/// forward costs one request, not two; forgotten when an answer says the MBean is gone.
actor ForwardedNameCache {
    private var names: [String: String] = [:]

    func name(for key: String) -> String? { names[key] }

    func remember(_ name: String, for key: String) {
        // Keys come from the configuration; the bound is only a guard.
        if names.count >= 4096 { names.removeAll() }
        names[key] = name
    }

    func forget(_ key: String) { names[key] = nil }
}
