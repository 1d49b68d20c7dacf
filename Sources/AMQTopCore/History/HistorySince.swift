import Foundation

/// Parses the start of a history period: a span back from now (`24h`, `7d`, `90m`) or a date
/// (`2026-11-20`, `2026-11-20 14:30`, `2026-11-20T14:30:00`, local time; or ISO 8601 with a zone).
public enum HistorySince {
    /// The period's start in epoch milliseconds, or nil when the text is neither.
    ///
    /// A span needs its unit: a bare number is more likely a mistyped date than milliseconds.
    public static func parse(_ text: String, nowMillis: Int64, timeZone: TimeZone = .current) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.last?.isLetter == true, !trimmed.contains("-"), let span = DurationParser.milliseconds(trimmed) {
            return nowMillis - span
        }
        let iso = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
            iso.formatOptions = options
            if let date = iso.date(from: trimmed) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        for format in ["yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        }
        return nil
    }
}
