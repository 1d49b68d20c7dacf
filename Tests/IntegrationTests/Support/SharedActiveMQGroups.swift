/// Started groups shared by the tests that ask for the same options, to keep the suite fast.
///
/// Swift Testing makes a new suite instance per test, so sharing needs a process-wide
/// holder. A shared group is never stopped by a test; ``ProcessReaper`` SIGKILLs it when
/// the test process exits. Tests that change a shared group (kill its master) must leave
/// it as they found it: one master, the others slaves.
actor SharedActiveMQGroups {
    /// The process-wide holder.
    static let shared = SharedActiveMQGroups()

    private var starting: [ActiveMQGroupOptions: Task<ActiveMQGroup, any Error>] = [:]

    /// The started group for `options`, starting it (and waiting for its master) on first use.
    ///
    /// A failed start is remembered, so every test that shares the group fails with the
    /// same message instead of each starting more JVMs.
    func group(_ options: ActiveMQGroupOptions = ActiveMQGroupOptions()) async throws -> ActiveMQGroup {
        if let task = starting[options] {
            return try await task.value
        }
        let task = Task {
            let group = try ActiveMQGroup(options: options)
            do {
                try await group.start()
                _ = try await group.waitForMaster(deadline: .now + .seconds(60))
                return group
            } catch {
                await group.stopAll()
                throw error
            }
        }
        starting[options] = task
        return try await task.value
    }
}
