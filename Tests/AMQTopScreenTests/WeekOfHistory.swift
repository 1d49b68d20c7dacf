import AMQTopCore

/// A week of synthetic history for `prod-east` ending at the fixtures' clock: crashes, a
/// stop, a failover of unknown cause, a split brain, a gap of two and a half hours without
/// master, and half a day nobody watched, with b1 master at the end as the fixtures see it.
enum WeekOfHistory {
    static let now = Fixtures.now
    static let day: Int64 = 86_400_000
    static let hour: Int64 = 3_600_000
    static let minute: Int64 = 60_000

    /// One takeover: old master gone, lock acquired, new master serving.
    static func failover(
        _ from: String, _ to: String, _ cause: FailoverCause, acquired: Int64, goneBefore: Int64, servingAfter: Int64, stopBefore: Int64? = nil
    ) -> FailoverEvent {
        FailoverEvent(
            group: "prod-east", key: FailoverEvent.lockKey(acquired), fromBroker: from, toBroker: to, cause: cause,
            stopSentAtMillis: stopBefore.map { acquired - $0 }, detectedAtMillis: acquired,
            oldMasterGone: PhaseStamp(atMillis: acquired - goneBefore, signal: .openwire),
            lockAcquired: PhaseStamp(atMillis: acquired, signal: .lockFile),
            newMasterServing: PhaseStamp(atMillis: acquired + servingAfter, signal: .jolokia))
    }

    static let crash1 = failover("b1", "b2", .crash, acquired: now - 6 * day + 3 * hour, goneBefore: 1500, servingAfter: 2700)
    static let stop = failover("b2", "b3", .stop, acquired: now - 4 * day - 5 * hour, goneBefore: 900, servingAfter: 1700, stopBefore: 1200)
    /// b3's process died; b1 only took the lock two and a half hours later (its host was down too).
    static let longGap = failover("b3", "b1", .crash, acquired: now - 2 * day + 150 * minute - 2000, goneBefore: 150 * minute - 2000, servingAfter: 2000)
    static let unknown = failover("b1", "b2", .unknown, acquired: now - 5 * hour, goneBefore: 300, servingAfter: 600)
    static let crash2 = failover("b2", "b1", .crash, acquired: Fixtures.acquired, goneBefore: 1800, servingAfter: 1300)

    static let failovers = [crash1, stop, longGap, unknown, crash2]

    static func tenure(_ master: String, from: Int64?, firstSeen: Int64? = nil, until: Int64?) -> Tenure {
        Tenure(
            group: "prod-east", key: from.map(FailoverEvent.lockKey) ?? "seen:\(master):\(firstSeen ?? 0)", master: master,
            acquiredAtMillis: from, firstSeenAtMillis: firstSeen ?? from ?? 0, endedAtMillis: until, startedBeforeObservation: firstSeen != nil)
    }

    /// The first tenure was found running when amqtop started, with no lock timestamp to date it.
    static let tenures = [
        tenure("b1", from: nil, firstSeen: now - 6 * day - 12 * hour, until: crash1.atMillis),
        tenure("b2", from: crash1.atMillis, until: stop.atMillis),
        tenure("b3", from: stop.atMillis, until: longGap.atMillis),
        tenure("b1", from: longGap.atMillis, until: unknown.atMillis),
        tenure("b2", from: unknown.atMillis, until: crash2.atMillis),
        tenure("b1", from: crash2.atMillis, until: nil),
    ]

    /// b1 came back serving beside b3 for forty seconds (a broker on the wrong directory).
    static let splitBrain = SplitBrainEpisode(
        group: "prod-east", key: "seen:\(now - 3 * day + 2 * hour)", brokers: ["b1", "b3"], startedAtMillis: now - 3 * day + 2 * hour,
        endedAtMillis: now - 3 * day + 2 * hour + 40_000)

    static let history = TimelineHistory(tenures: tenures, failovers: failovers, splitBrains: [splitBrain])

    /// The fixtures' three groups with this history loaded for prod-east, as the history feed delivers it.
    static func state(width: Int, height: Int) -> AppState {
        var state = Fixtures.state(Fixtures.all3, observations: Fixtures.all3Observed, width: width, height: height)
        _ = Reducer.reduce(&state, .timeline(group: "prod-east", history))
        _ = Reducer.reduce(&state, .failovers(group: "prod-east", failovers.reversed()))
        return state
    }
}
