/// Why the history file could not be used, phrased for an operator.
public enum HistoryStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// SQLite says the file is not a database or is malformed.
    case corrupt(path: String, detail: String)
    /// The file exists but cannot be opened or read (permissions, I/O error).
    case unreadable(path: String, detail: String)
    /// The directory or file cannot be created.
    case cannotCreate(path: String, detail: String)
    /// A valid SQLite database that is not an amqtop history (it is left alone).
    case foreign(path: String)
    /// A history written by a newer amqtop, with a schema this one does not know.
    case newerSchema(path: String, version: Int)
    /// Any other database failure while reading or writing.
    case database(path: String, detail: String)
    /// A file amqtop must not touch: a group's lock file, or a non-SQLite file another process
    /// holds a lock on (`HistoryFileGuard`). Never set aside: renaming is touching.
    case refused(path: String, reason: String)

    /// True when setting the file aside and starting a new one is the remedy.
    public var isSetAsideRemedy: Bool {
        switch self {
        case .corrupt, .unreadable: true
        case .cannotCreate, .foreign, .newerSchema, .database, .refused: false
        }
    }

    public var description: String {
        switch self {
        case .corrupt(let path, let detail): "history file \(path) is corrupt: \(detail)"
        case .unreadable(let path, let detail): "history file \(path) cannot be read: \(detail)"
        case .cannotCreate(let path, let detail): "cannot create history file \(path): \(detail)"
        case .foreign(let path): "\(path) is an SQLite database but not an amqtop history; choose another file with history:"
        case .newerSchema(let path, let version): "history file \(path) was written by a newer amqtop (schema \(version)); upgrade amqtop"
        case .database(let path, let detail): "history file \(path): \(detail)"
        case .refused(let path, let reason): "history file \(path) refused, left as it is: \(reason)"
        }
    }
}
