/// Where a history record came from: a running amqtop's observations, a broker log's import, or both.
public enum HistorySource: String, Equatable, Sendable, Hashable, CaseIterable, Codable {
    /// Recorded live by a dashboard or `amqtop serve`.
    case live
    /// Reconstructed by `amqtop history import` from the brokers' logs.
    case log
    /// Recorded live, then confirmed (and its cause told) by an imported log.
    case liveAndLog = "live+log"

    /// The source of one record written by both.
    public func merged(with other: HistorySource) -> HistorySource { self == other ? self : .liveAndLog }
}
