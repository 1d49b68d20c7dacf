import Foundation

/// Parses the durations of the configuration and the command line: `250ms`, `2s`, `5m`, `1h`, or bare milliseconds.
public enum DurationParser {
    /// The longest duration accepted, 100 years: longer is a typo, and this bound lets callers
    /// add a duration to epoch milliseconds or turn it into nanoseconds in `Int64` safely.
    public static let maximumMilliseconds: Int64 = 100 * 365 * 86_400_000

    /// The span in milliseconds, or nil when the text is not a duration.
    ///
    /// Fractions are allowed with a unit (`1.5s`); negative values and values above
    /// ``maximumMilliseconds`` are not (`1e300s` trapped in the conversion to `Int64`; found by
    /// the config fuzz target).
    public static func milliseconds(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !trimmed.isEmpty else { return nil }
        let units: [(suffix: String, factor: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = String(trimmed.dropLast(unit.suffix.count))
            // "5ms" also ends in "s": only accept when the rest is a plain number.
            guard let value = Double(number), value >= 0, value.isFinite, number.first?.isNumber == true else { continue }
            let millis = (value * unit.factor).rounded()
            // Compared as a Double first: Int64(_:) traps on a value it cannot hold.
            guard millis <= Double(maximumMilliseconds) else { return nil }
            return Int64(millis)
        }
        guard trimmed.allSatisfy(\.isNumber), let bare = Int64(trimmed), bare <= maximumMilliseconds else { return nil }
        return bare
    }

    /// Why `text` is no duration, as a message that names it: too long (past 100 years),
    /// negative, or not a duration at all; nil when it is one.
    public static func problem(_ text: String) -> String? {
        if milliseconds(text) != nil { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units = ["ms", "s", "m", "h", "d", ""]
        for unit in units where trimmed.hasSuffix(unit) {
            let number = trimmed.dropLast(unit.count)
            guard let value = Double(number), !value.isNaN, number.first.map({ $0.isNumber || $0 == "-" || $0 == "+" }) == true
            else { continue }
            if value < 0 { return "must not be negative: \(text)" }
            return "too long: \(text) is more than 100 years (the longest duration accepted)"
        }
        return "not a duration: \(text) (expected e.g. 250ms, 2s, 5m or a number of milliseconds)"
    }
}
