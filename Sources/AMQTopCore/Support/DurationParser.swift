import Foundation

/// Parses the durations of the configuration and the command line: `250ms`, `2s`, `5m`, `1h`, or bare milliseconds.
public enum DurationParser {
    /// The span in milliseconds, or nil when the text is not a duration.
    ///
    /// Fractions are allowed with a unit (`1.5s`); negative values are not.
    public static func milliseconds(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !trimmed.isEmpty else { return nil }
        let units: [(suffix: String, factor: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = String(trimmed.dropLast(unit.suffix.count))
            // "5ms" also ends in "s": only accept when the rest is a plain number.
            guard let value = Double(number), value >= 0, value.isFinite, number.first?.isNumber == true else { continue }
            return Int64((value * unit.factor).rounded())
        }
        guard trimmed.allSatisfy(\.isNumber), let bare = Int64(trimmed) else { return nil }
        return bare
    }
}
