/// One line of an ActiveMQ log in the upstream pattern `%d | %-5p | %m | %c | %t%n`.
public struct BrokerLogLine: Equatable, Sendable {
    /// The date and time as written, without a zone (log4j writes the broker's local time).
    public var timestamp: LocalTimestamp
    /// `INFO`, `WARN`, ... (the padding of `%-5p` removed).
    public var level: String
    public var message: String
    /// The logger, e.g. `org.apache.activemq.store.SharedFileLocker`.
    public var category: String
    public var thread: String
    public var event: BrokerLogEvent

    public init(timestamp: LocalTimestamp, level: String, message: String, category: String, thread: String, event: BrokerLogEvent) {
        self.timestamp = timestamp
        self.level = level
        self.message = message
        self.category = category
        self.thread = thread
        self.event = event
    }

    /// A wall-clock time as a log writes it: fields only, the zone is the reader's to supply.
    public struct LocalTimestamp: Equatable, Sendable, Comparable {
        public var year, month, day, hour, minute, second, millisecond: Int

        public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) {
            (self.year, self.month, self.day) = (year, month, day)
            (self.hour, self.minute, self.second, self.millisecond) = (hour, minute, second, millisecond)
        }

        /// Milliseconds since the epoch if the line was written `offsetSeconds` east of UTC.
        public func epochMillis(offsetSeconds: Int) -> Int64 {
            // Days from 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's days_from_civil).
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yearOfEra = y - era * 400
            let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            let days = Int64(era) * 146_097 + Int64(dayOfEra) - 719_468
            let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
            return seconds * 1000 + Int64(millisecond)
        }

        private var ordered: [Int] { [year, month, day, hour, minute, second, millisecond] }

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.ordered.lexicographicallyPrecedes(rhs.ordered) }
    }
}
