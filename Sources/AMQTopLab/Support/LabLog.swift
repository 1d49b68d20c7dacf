import AMQTopCore
import Foundation

/// Writes a lab broker's log lines to standard error, timestamped and prefixed like
/// ActiveMQ's log, so `DIR/NAME.log` reads like a broker log.
public struct LabLog: Sendable {
    /// The name shown on every line.
    public let brokerName: String

    /// A log for `brokerName`.
    public init(brokerName: String) {
        self.brokerName = brokerName
    }

    /// Writes one INFO line.
    public func info(_ message: String) {
        write("INFO", message)
    }

    /// Writes one WARN line.
    public func warn(_ message: String) {
        write("WARN", message)
    }

    private func write(_ level: String, _ message: String) {
        let stamp = ISO8601DateFormatter.string(
            from: Date(), timeZone: .current, formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        StandardError.line("\(stamp) | \(level) | [\(brokerName)] \(message)")
    }
}
