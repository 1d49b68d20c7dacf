/// Rebuilds a group's tenures and takeovers from its brokers' logs.
///
/// Pure and total: any events, in any order of files, give tenures (possibly none), never a
/// trap. The rules, from ActiveMQ's own lines (see FACTS.md, "The brokers' logs"):
/// - A broker's `started` makes it the master. There is no "lock acquired" line; the lock
///   was taken after its slave wait began (or its context started) and after the previous
///   master ended.
/// - The previous master ended by giving up its lock (`no longer able to keep the exclusive
///   lock`: `lockLost`, whatever shutdown lines follow it), by a clean shutdown (`is shutting
///   down`: `shutdown`), or by vanishing without a word (`crash`; the new master's
///   `Recovering pageFile free list due to prior unclean shutdown` confirms it). A master
///   whose context starts again (`Refreshing ...`) without either line had vanished before.
/// - A broker that becomes master after waiting, with no earlier master in the logs, took
///   over from a master whose log was not imported: `crash` when it recovered the store,
///   else `unknown`. One that never waited is a first start: a tenure, no takeover.
public enum LogHistoryReconstructor {
    /// One broker's recognised lines, from all its files.
    public struct BrokerLog: Equatable, Sendable {
        /// The broker's name in amqtop.yaml.
        public var broker: String
        public var entries: [BrokerLogScan.Entry]

        public init(broker: String, entries: [BrokerLogScan.Entry]) {
            self.broker = broker
            self.entries = entries
        }
    }

    /// How long before a give-up a `Lock file ... has been modified` line still explains it.
    static let modifiedWindowMillis: Int64 = 5_000

    /// The group's tenures, oldest first.
    public static func tenures(_ logs: [BrokerLog]) -> [LogTenure] {
        var state = State()
        for (broker, entry) in merged(logs) {
            state.take(entry, from: broker)
        }
        return state.tenures
    }

    /// Every broker's entries in time order (a broker's own order kept for equal instants),
    /// with the same line given twice (a file named twice, rotated copies that overlap) once.
    static func merged(_ logs: [BrokerLog]) -> [(String, BrokerLogScan.Entry)] {
        var all: [(order: Int, broker: String, entry: BrokerLogScan.Entry)] = []
        for log in logs {
            let sorted = log.entries.enumerated().sorted { ($0.element.atMillis, $0.offset) < ($1.element.atMillis, $1.offset) }
            var previous: BrokerLogScan.Entry?
            for (_, entry) in sorted {
                if let previous, previous.atMillis == entry.atMillis, previous.event == entry.event { continue }
                all.append((all.count, log.broker, entry))
                previous = entry
            }
        }
        all.sort { ($0.entry.atMillis, $0.order) < ($1.entry.atMillis, $1.order) }
        return all.map { ($0.broker, $0.entry) }
    }

    /// How a master's tenure ended.
    enum Ending: Equatable {
        case lockLost(atMillis: Int64, fileChanged: Bool)
        case shutdown(atMillis: Int64)
        case vanished(lastLineMillis: Int64?)

        var atMillis: Int64? {
            switch self {
            case .lockLost(let at, _), .shutdown(let at): at
            case .vanished(let last): last
            }
        }
    }

    /// One broker's progress through its current start.
    struct Run {
        var contextStartedAt: Int64?
        var waitingSince: Int64?
        var recovered = false
        var lockModifiedAt: Int64?
        var lastLineAt: Int64?
    }

    struct State {
        var tenures: [LogTenure] = []
        var runs: [String: Run] = [:]
        var master: String?
        var ending: Ending?

        mutating func take(_ entry: BrokerLogScan.Entry, from broker: String) {
            var run = runs[broker] ?? Run()
            let at = entry.atMillis
            switch entry.event {
            case .refreshing:
                if master == broker, ending == nil { ending = .vanished(lastLineMillis: run.lastLineAt) }
                run = Run(contextStartedAt: at)
            case .waitingForLock:
                if run.waitingSince == nil { run.waitingSince = at }
            case .recoveringAfterUncleanShutdown:
                run.recovered = true
            case .lockFileModified:
                run.lockModifiedAt = at
                if master == broker, case .lockLost(let lostAt, false) = ending { ending = .lockLost(atMillis: lostAt, fileChanged: true) }
            case .gaveUpLock:
                if master == broker, ending == nil {
                    let changed = run.lockModifiedAt.map { at - $0 <= LogHistoryReconstructor.modifiedWindowMillis } ?? false
                    ending = .lockLost(atMillis: at, fileChanged: changed)
                }
            case .shuttingDown:
                if master == broker, ending == nil { ending = .shutdown(atMillis: at) }
            case .started:
                runs[broker] = run
                becomeMaster(broker, at: at)
                run = runs[broker] ?? Run()
            case .starting, .shutdown, .other:
                break
            }
            run.lastLineAt = at
            runs[broker] = run
        }

        private mutating func becomeMaster(_ broker: String, at: Int64) {
            let run = runs[broker] ?? Run()
            let previous = master
            let end: Ending? = previous.map { ending ?? .vanished(lastLineMillis: runs[$0]?.lastLineAt) }
            let waitedFrom = run.waitingSince ?? run.contextStartedAt ?? at
            let acquiredAfter = min(at, max(waitedFrom, end?.atMillis ?? waitedFrom))
            var takeover: LogTenure.Takeover?
            if let previous, let end {
                takeover = Self.takeover(from: previous, ending: end, to: broker, recovered: run.recovered)
            } else if run.waitingSince != nil || run.recovered {
                takeover = LogTenure.Takeover(
                    fromBroker: nil, cause: run.recovered ? .crash : .unknown,
                    detail: run.recovered
                        ? "\(broker) recovered the store after an unclean shutdown (the previous master's log was not imported)"
                        : "\(broker) took the lock after waiting (the previous master's log was not imported)")
            }
            if previous != nil, let last = tenures.indices.last {
                tenures[last].endedAtMillis = acquiredAfter
            }
            tenures.append(LogTenure(master: broker, acquiredAfterMillis: acquiredAfter, startedAtMillis: at, takeover: takeover))
            master = broker
            ending = nil
            var updated = run
            updated.waitingSince = nil
            updated.recovered = false
            runs[broker] = updated
        }

        private static func takeover(from old: String, ending: Ending, to new: String, recovered: Bool) -> LogTenure.Takeover {
            switch ending {
            case .lockLost(let at, let changed):
                let why = changed ? "its keep-alive saw the lock file change" : "its keep-alive found the lock no longer held"
                return LogTenure.Takeover(
                    fromBroker: old, cause: .lockLost, detail: "\(old) gave up the lock: \(why)",
                    oldMasterGone: PhaseStamp(atMillis: at, signal: .log))
            case .shutdown(let at):
                return LogTenure.Takeover(
                    fromBroker: old, cause: .shutdown, detail: "\(old) shut down cleanly",
                    oldMasterGone: PhaseStamp(atMillis: at, signal: .log))
            case .vanished:
                let confirmation = recovered
                    ? "\(new) recovered the store after an unclean shutdown"
                    : "no recovery line from \(new) to confirm it"
                return LogTenure.Takeover(
                    fromBroker: old, cause: .crash, detail: "\(old) vanished without a shutdown line; \(confirmation)")
            }
        }
    }
}
