/// One metric family as exposed: a name, its help and type, and its samples.
///
/// The name is the family's base name (`amqtop_failovers`, `amqtop_lock_holder`): the writer
/// adds the suffix each format wants for the type (`_total` for counters, `_info` for info).
public struct MetricFamily: Equatable, Sendable {
    /// What kind of series the family holds.
    public enum Kind: Equatable, Sendable {
        case gauge
        case counter
        /// Metadata with the value 1 (OpenMetrics `info`; a gauge named `_info` in the Prometheus format).
        case info
        case histogram
    }

    /// One line of the exposition: a suffix after the family name, labels and a value.
    public struct Sample: Equatable, Sendable {
        /// `_bucket`, `_sum`, `_count`, or "" (the writer adds `_total` / `_info` itself).
        public var suffix: String
        /// Label names and values, in the order written.
        public var labels: [Label]
        public var value: Double

        public init(suffix: String = "", labels: [Label], value: Double) {
            self.suffix = suffix
            self.labels = labels
            self.value = value
        }
    }

    /// One label: a name (`[a-zA-Z_][a-zA-Z0-9_]*`) and any value (escaped when written).
    public struct Label: Equatable, Sendable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var name: String
    public var help: String
    public var kind: Kind
    public var samples: [Sample]

    public init(name: String, help: String, kind: Kind, samples: [Sample] = []) {
        self.name = name
        self.help = help
        self.kind = kind
        self.samples = samples
    }

    /// Adds one sample with `labels` (for gauges, counters and info).
    public mutating func add(_ labels: [Label], _ value: Double) {
        samples.append(Sample(labels: labels, value: value))
    }

    /// Adds one histogram's `_bucket`, `_sum` and `_count` samples under `labels`.
    public mutating func add(_ labels: [Label], _ histogram: Histogram) {
        for (bound, count) in zip(histogram.bounds, histogram.cumulativeCounts) {
            samples.append(Sample(suffix: "_bucket", labels: labels + [Label("le", ExpositionWriter.number(bound))], value: Double(count)))
        }
        samples.append(Sample(suffix: "_bucket", labels: labels + [Label("le", "+Inf")], value: Double(histogram.count)))
        samples.append(Sample(suffix: "_sum", labels: labels, value: histogram.sum))
        samples.append(Sample(suffix: "_count", labels: labels, value: Double(histogram.count)))
    }
}
