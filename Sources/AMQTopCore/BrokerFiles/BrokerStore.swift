/// Where a broker keeps its messages, as far as the master/slave lock is concerned.
public enum BrokerStore: Equatable, Sendable {
    /// A store locked by a shared file `directory/lock`: `kahaDB`, `mKahaDB`, `levelDB`, or the default KahaDB.
    case sharedFile(element: String, directory: String)
    /// A JDBC store: the lock is a database lease (table `ACTIVEMQ_LOCK`), not a file.
    case database(element: String)
    /// No persistent store, so no lock and no master/slave at all.
    case none(reason: String)
    /// A store amqtop cannot follow, with why.
    case unsupported(element: String, reason: String)

    /// The lock file, for stores that have one.
    public var lockFile: String? {
        if case .sharedFile(_, let directory) = self { return PathText.join(directory, "lock") }
        return nil
    }

    /// The store as a short phrase for comments and messages.
    public var summary: String {
        switch self {
        case .sharedFile(let element, let directory): return "<\(element)> in \(directory)"
        case .database(let element): return "<\(element)> (JDBC)"
        case .none(let reason): return "no store (\(reason))"
        case .unsupported(let element, _): return "<\(element)>"
        }
    }
}
