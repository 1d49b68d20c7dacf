import AMQTopCore

/// What the probes did since `serve` started: errors per broker and code, durations per kind.
///
/// Fed every broker observation as it arrives (not only the latest state), so the counters
/// and histograms see every probe. Label sets are bounded by the configuration: a broker's
/// errors are counted under `EndpointError.code`, a fixed set of words.
public struct ProbeStatistics: Equatable, Sendable {
    /// Identifies one error series.
    public struct ErrorKey: Hashable, Sendable, Comparable {
        public var group: String
        public var broker: String
        public var code: String

        public static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.group, lhs.broker, lhs.code) < (rhs.group, rhs.broker, rhs.code)
        }
    }

    /// Failed probes per group, broker and error code.
    public private(set) var errors: [ErrorKey: UInt64] = [:]
    /// Round trips per probe kind (`jolokia`, `openwire`).
    public private(set) var durations: [String: Histogram] = [:]
    /// How many poll rounds completed.
    public private(set) var rounds: UInt64 = 0

    public init() {}

    /// Counts one broker poll: its Jolokia error, if any, and its round-trip times.
    public mutating func record(group: String, _ observation: BrokerObservation) {
        if let jolokia = observation.jolokia {
            observe(kind: "jolokia", millis: jolokia.latencyMillis)
            if let error = jolokia.error {
                errors[ErrorKey(group: group, broker: observation.name, code: error.code), default: 0] += 1
            }
        }
        if let openwire = observation.openwire {
            observe(kind: "openwire", millis: openwire.latencyMillis)
        }
    }

    /// Counts one completed round.
    public mutating func roundCompleted() { rounds += 1 }

    private mutating func observe(kind: String, millis: Int64) {
        durations[kind, default: Histogram(bounds: Histogram.probeSecondsBounds)].observe(Double(max(0, millis)) / 1000)
    }
}
