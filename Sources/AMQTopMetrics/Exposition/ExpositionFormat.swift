/// The two text formats `/metrics` speaks: Prometheus text 0.0.4 and OpenMetrics 1.0.
public enum ExpositionFormat: Equatable, Sendable {
    case prometheus
    case openMetrics

    /// The `Content-Type` of an answer in this format.
    public var contentType: String {
        switch self {
        case .prometheus: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// OpenMetrics when the `Accept` header names it (with a non-zero q), else the Prometheus text format.
    ///
    /// Prometheus itself sends both with q values; any acceptable mention of OpenMetrics wins,
    /// since a scraper that lists it can parse it.
    public static func negotiate(accept: String?) -> ExpositionFormat {
        guard let accept else { return .prometheus }
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: " \t") }
            guard parts.first?.lowercased() == "application/openmetrics-text" else { continue }
            let q = parts.dropFirst().first { $0.lowercased().hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if q > 0 { return .openMetrics }
        }
        return .prometheus
    }
}

extension StringProtocol {
    /// The text without leading and trailing characters from `set` (Foundation-free, this target is pure).
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
