import Foundation

/// Parses ActiveMQ log lines in the upstream pattern `%d | %-5p | %m | %c | %t%n` (5.15 through 6.3).
///
/// Pure and total: any text gives a line or nil (a stack trace line, another pattern), never
/// a trap, so an importer can count what it did not understand and go on.
public enum BrokerLogLineParser {
    static let levels: Set<String> = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]
    static let separator = " | "

    /// The line, or nil when it is not in the pattern.
    public static func parse<S: StringProtocol>(_ text: S) -> BrokerLogLine? {
        var line = String(text)
        // Scalars, not Characters: "\r\n" is one Character and would hide the "\n".
        while let last = line.unicodeScalars.last, last == "\n" || last == "\r" { line.unicodeScalars.removeLast() }
        let parts = line.components(separatedBy: separator)
        // The message may itself hold " | ": the fields around it are fixed, so count from both ends.
        guard parts.count >= 5, let timestamp = timestamp(parts[0]) else { return nil }
        let level = parts[1].trimmingCharacters(in: .whitespaces)
        let category = parts[parts.count - 2]
        guard levels.contains(level), !category.isEmpty, !category.contains(" ") else { return nil }
        let message = parts[2..<(parts.count - 2)].joined(separator: separator)
        return BrokerLogLine(
            timestamp: timestamp, level: level, message: message, category: category,
            thread: parts[parts.count - 1], event: event(message: message))
    }

    /// `2026-12-01 09:12:55,123` (log4j's ISO8601 `%d`), also with `T` and `.`.
    public static func timestamp(_ text: String) -> BrokerLogLine.LocalTimestamp? {
        let characters = Array(text.utf8)
        guard characters.count == 23,
              characters[4] == UInt8(ascii: "-"), characters[7] == UInt8(ascii: "-"),
              characters[10] == UInt8(ascii: " ") || characters[10] == UInt8(ascii: "T"),
              characters[13] == UInt8(ascii: ":"), characters[16] == UInt8(ascii: ":"),
              characters[19] == UInt8(ascii: ",") || characters[19] == UInt8(ascii: ".") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(characters[index]) - Int(UInt8(ascii: "0"))
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              let millisecond = number(20..<23),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        return BrokerLogLine.LocalTimestamp(year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millisecond)
    }

    static let slavePrefix = "Database "
    static let slaveSuffix = " is locked by another server. This broker is now in slave mode waiting a lock to be acquired"
    static let gaveUpSuffix = ", no longer able to keep the exclusive lock so giving up being a master"
    static let lockFilePrefix = "Lock file "
    static let uncleanMarker = "Recovering pageFile free list due to prior unclean shutdown"
    static let refreshingPrefix = "Refreshing org.apache.activemq.xbean.XBeanBrokerFactory"

    /// What the message says, by ActiveMQ's own wording.
    public static func event(message: String) -> BrokerLogEvent {
        if message.hasPrefix("Apache ActiveMQ "), let event = lifecycle(message) { return event }
        if message.hasPrefix(slavePrefix), message.hasSuffix(slaveSuffix) {
            return .waitingForLock(lockFile: String(message.dropFirst(slavePrefix.count).dropLast(slaveSuffix.count)))
        }
        if message.hasSuffix(gaveUpSuffix), message.count > gaveUpSuffix.count {
            return .gaveUpLock(brokerName: String(message.dropLast(gaveUpSuffix.count)))
        }
        if message.hasPrefix(lockFilePrefix), let locked = message.range(of: ", locked at "), message.contains(", has been modified at ") {
            return .lockFileModified(lockFile: String(message[message.index(message.startIndex, offsetBy: lockFilePrefix.count)..<locked.lowerBound]))
        }
        // Real 5.17.2 brokers put the page file first: "Page File: D/db.data. Recovering pageFile ...".
        if message.contains(uncleanMarker) { return .recoveringAfterUncleanShutdown }
        if message.hasPrefix(refreshingPrefix) { return .refreshing }
        return .other
    }

    /// `Apache ActiveMQ VERSION (NAME, ID:...) is starting|started|is shutting down|is shutdown`.
    private static func lifecycle(_ message: String) -> BrokerLogEvent? {
        let rest = message.dropFirst("Apache ActiveMQ ".count)
        guard let open = rest.range(of: " ("), let idStart = rest.range(of: ", ID:", range: open.upperBound..<rest.endIndex),
              let close = rest.range(of: ") ", range: idStart.upperBound..<rest.endIndex) else { return nil }
        let identity = BrokerLogEvent.BrokerIdentity(
            version: String(rest[..<open.lowerBound]),
            brokerName: String(rest[open.upperBound..<idStart.lowerBound]),
            brokerId: "ID:" + rest[idStart.upperBound..<close.lowerBound])
        switch rest[close.upperBound...] {
        case "is starting": return .starting(identity)
        case "started": return .started(identity)
        case "is shutting down": return .shuttingDown(identity)
        case "is shutdown": return .shutdown(identity)
        default: return nil
        }
    }
}
