/// A fixed-bucket histogram of observed values, as Prometheus exposes it.
///
/// Counts are kept per bucket and summed up on the way out, so `cumulativeCounts` is
/// cumulative by construction (each bucket counts every value at or below its bound).
public struct Histogram: Equatable, Sendable {
    /// The upper bounds, ascending, without `+Inf`.
    public let bounds: [Double]
    private var perBucket: [UInt64]
    /// How many values were observed (the `+Inf` bucket and `_count`).
    public private(set) var count: UInt64 = 0
    /// The sum of the observed values.
    public private(set) var sum: Double = 0

    /// An empty histogram with these upper bounds (sorted, duplicates dropped).
    public init(bounds: [Double]) {
        self.bounds = Array(Set(bounds)).sorted()
        perBucket = Array(repeating: 0, count: self.bounds.count)
    }

    /// Counts one value in the first bucket whose bound is at or above it.
    public mutating func observe(_ value: Double) {
        count += 1
        sum += value
        if let index = bounds.firstIndex(where: { value <= $0 }) { perBucket[index] += 1 }
    }

    /// Per bound, how many values were at or below it.
    public var cumulativeCounts: [UInt64] {
        var running: UInt64 = 0
        return perBucket.map { running += $0; return running }
    }

    /// Buckets for probe round trips: 1 ms to 10 s (a probe's deadline is a few seconds).
    public static let probeSecondsBounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// Buckets for a group's time without master: 0.5 s (a quick keep-alive takeover) to 10 min.
    public static let outageSecondsBounds: [Double] = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600]
}
