import Foundation

/// What one broker log file holds for the history: its recognised events in time, and what
/// it names (the broker, the lock file), with the lines it did not understand counted.
///
/// Pure: the caller reads the file (plain or gzip) and hands over its text.
public struct BrokerLogScan: Equatable, Sendable {
    /// One recognised line.
    public struct Entry: Equatable, Sendable {
        /// Epoch milliseconds, from the line's local time and the zone the import was given.
        public var atMillis: Int64
        public var event: BrokerLogEvent
        /// 1-based line number in the file, for messages.
        public var line: Int
    }

    /// The file the text came from (as the operator named it).
    public var path: String
    /// Every line in the pattern, `.other` ones included (they say the broker was alive then).
    public var entries: [Entry]
    /// Broker names the file's own lines give (`is starting`, `started`, the keep-alive give-up), printable.
    public var brokerNames: [String]
    /// Lock files the file's slave lines name (`Database D/lock is locked by another server`), printable.
    public var lockFiles: [String]
    /// Non-empty lines outside the pattern (stack traces, another layout, garbage).
    public var unknownLines: Int
    /// All non-empty lines.
    public var lineCount: Int

    /// Scans `text`, dating each line in `timeZone` (log4j writes the broker's local time).
    public static func scan(path: String, text: String, timeZone: TimeZone) -> BrokerLogScan {
        var scan = BrokerLogScan(path: path, entries: [], brokerNames: [], lockFiles: [], unknownLines: 0, lineCount: 0)
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            guard !raw.allSatisfy(\.isWhitespace) else { continue }
            scan.lineCount += 1
            guard let line = BrokerLogLineParser.parse(raw) else {
                scan.unknownLines += 1
                continue
            }
            var event = line.event
            switch event {
            case .starting(var identity), .started(var identity), .shuttingDown(var identity), .shutdown(var identity):
                identity.brokerName = LogText.printable(identity.brokerName)
                identity.brokerId = LogText.printable(identity.brokerId)
                identity.version = LogText.printable(identity.version)
                event = Self.replacingIdentity(event, identity)
                scan.note(name: identity.brokerName)
            case .gaveUpLock(let name):
                let clean = LogText.printable(name)
                event = .gaveUpLock(brokerName: clean)
                scan.note(name: clean)
            case .waitingForLock(let lock):
                let clean = LogText.printable(lock, limit: 4096)
                event = .waitingForLock(lockFile: clean)
                if !scan.lockFiles.contains(clean) { scan.lockFiles.append(clean) }
            case .lockFileModified(let lock):
                event = .lockFileModified(lockFile: LogText.printable(lock, limit: 4096))
            case .recoveringAfterUncleanShutdown, .refreshing, .other:
                break
            }
            scan.entries.append(Entry(atMillis: Self.millis(line.timestamp, timeZone: timeZone), event: event, line: number))
        }
        return scan
    }

    /// The instant a local wall-clock time names in `timeZone` (the zone's offset at that instant).
    public static func millis(_ timestamp: BrokerLogLine.LocalTimestamp, timeZone: TimeZone) -> Int64 {
        let asUTC = timestamp.epochMillis(offsetSeconds: 0)
        let guess = Date(timeIntervalSince1970: Double(asUTC) / 1000)
        let offset = timeZone.secondsFromGMT(for: guess)
        // Near a DST change the offset at the true instant can differ from the one at the guess.
        let corrected = timeZone.secondsFromGMT(for: guess.addingTimeInterval(-Double(offset)))
        return timestamp.epochMillis(offsetSeconds: corrected)
    }

    private mutating func note(name: String) {
        if !name.isEmpty, !brokerNames.contains(name) { brokerNames.append(name) }
    }

    private static func replacingIdentity(_ event: BrokerLogEvent, _ identity: BrokerLogEvent.BrokerIdentity) -> BrokerLogEvent {
        switch event {
        case .starting: .starting(identity)
        case .started: .started(identity)
        case .shuttingDown: .shuttingDown(identity)
        case .shutdown: .shutdown(identity)
        default: event
        }
    }
}
