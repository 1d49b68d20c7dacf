/// The tenure timeline of a group as the dashboard shows it: the history it was given plus what is live.
extension AppState {
    /// The group's timeline over the chosen window, ending now.
    public func timeline(of group: GroupConfig) -> TenureTimeline {
        TenureTimeline.build(
            group: group.name, window: timelineWindow, nowMillis: nowMillis, configured: group.brokers.map(\.name),
            history: timelines[group.name] ?? TimelineHistory(), live: liveMasters(of: group))
    }

    /// Who serves now and since when: one master since its lock acquisition when that is
    /// known, else (none, or several) since the last poll interval.
    private func liveMasters(of group: GroupConfig) -> TenureTimeline.Live? {
        guard let assessment = assessments[group.name] else { return nil }
        let masters = assessment.master.map { [$0] } ?? assessment.masters
        let lastPoll = nowMillis - config.pollMillis
        if masters.count == 1, let acquired = observations[group.name]?.lock?.acquiredAtMillis,
           assessment.lockHolderBroker == masters[0] {
            return TenureTimeline.Live(masters: masters, sinceMillis: min(acquired, lastPoll))
        }
        return TenureTimeline.Live(masters: masters, sinceMillis: lastPoll)
    }
}
