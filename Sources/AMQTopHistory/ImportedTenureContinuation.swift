import AMQTopCore

/// Lets the live recorder continue a tenure `amqtop history import` wrote, instead of opening
/// a second row for the same master.
///
/// An import run before any dashboard leaves the current master's tenure open under
/// `log:<master>:<started ms>`; the dashboard that starts next sees that master holding the
/// lock and opens `lock:<acquisition ms>` (or `seen:…`) for it: one tenure, two rows, twice
/// its time on the timeline. (The other order is matched by the importer, which finds the
/// live row by its acquisition.) Here the live tenure's key is mapped to the imported one for
/// as long as the tenure lasts, its end and any takeover filed under it included.
struct ImportedTenureContinuation: Sendable {
    /// How far after the log's `started` line the lock's acquisition may still be the same
    /// tenure's (clocks and millisecond stamps; the same slack as the importer's).
    var slackMillis: Int64 = HistoryLogImporter().slackMillis
    /// Live key to imported key, per group.
    private var aliases: [String: [String: String]] = [:]
    /// Live keys already looked up, so each costs one read.
    private var checked: Set<String> = []

    /// `updates` with every live tenure (and takeover) that continues an imported open tenure filed under the imported key.
    mutating func map(_ updates: [HistoryUpdate], store: HistoryStore?) -> [HistoryUpdate] {
        guard let store else { return updates }
        return updates.map { update in
            switch update {
            case .tenure(var tenure):
                guard let key = alias(for: tenure, store: store) else { return update }
                tenure.key = key
                return .tenure(tenure)
            case .failover(var event):
                guard let key = aliases[event.group]?[event.key] else { return update }
                event.key = key
                return .failover(event)
            case .splitBrain:
                return update
            }
        }
    }

    /// The imported key this live tenure continues, if any (found once, at the tenure's first update).
    private mutating func alias(for tenure: Tenure, store: HistoryStore) -> String? {
        if let known = aliases[tenure.group]?[tenure.key] { return known }
        let id = tenure.group + "\u{0}" + tenure.key
        guard tenure.source == .live, tenure.endedAtMillis == nil, let master = tenure.master, !checked.contains(id) else { return nil }
        checked.insert(id)
        // The group's latest tenure, still open, imported, of the same master, and begun no
        // earlier than the lock was taken: a later acquisition is a new tenure.
        guard let open = try? store.tenures(group: tenure.group, sinceMillis: tenure.firstSeenAtMillis),
              let latest = open.max(by: { $0.startedAtMillis < $1.startedAtMillis }),
              latest.source == .log, latest.endedAtMillis == nil, latest.master == master, latest.key != tenure.key,
              tenure.startedAtMillis <= latest.startedAtMillis + slackMillis || tenure.acquiredAtMillis == nil
        else { return nil }
        aliases[tenure.group, default: [:]][tenure.key] = latest.key
        return latest.key
    }
}
