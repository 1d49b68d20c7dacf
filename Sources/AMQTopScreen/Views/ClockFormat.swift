/// Wall-clock times from epoch milliseconds, computed by hand so views stay pure and testable.
public enum ClockFormat {
    /// `HH:MM:SS` in the given offset.
    public static func time(_ millis: Int64, utcOffsetSeconds: Int) -> String {
        let seconds = floorDiv(millis, 1000) + Int64(utcOffsetSeconds)
        let ofDay = seconds - floorDiv(seconds, 86_400) * 86_400
        return "\(two(ofDay / 3600)):\(two((ofDay % 3600) / 60)):\(two(ofDay % 60))"
    }

    /// `YYYY-MM-DD HH:MM:SS` in the given offset.
    public static func dateTime(_ millis: Int64, utcOffsetSeconds: Int) -> String {
        let seconds = floorDiv(millis, 1000) + Int64(utcOffsetSeconds)
        let (y, m, d) = civil(days: floorDiv(seconds, 86_400))
        return "\(y)-\(two(m))-\(two(d)) " + time(millis, utcOffsetSeconds: utcOffsetSeconds)
    }

    /// Year, month, day of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civil(days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
