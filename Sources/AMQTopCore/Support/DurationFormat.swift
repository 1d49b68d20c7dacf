/// Formats millisecond spans the way operators read them: `850ms`, `4.2s`, `42s`, `3m12s`, `2h05m`, `3d4h`.
///
/// One style everywhere: the largest unit first, at most two units, and a trailing zero unit
/// left out (`3d`, not `3d0h`; `5m`, not `5m00s`), so a configured `1d` reads like a measured `~3d`.
public enum DurationFormat {
    /// A compact span: sub-second in ms, tenths under ten seconds (where they tell a failover's
    /// pace), whole seconds up to a minute, then m/s, h/m, d/h.
    ///
    /// Whole seconds past ten: a lock age that showed tenths changed four times a second on
    /// an idle screen, and every change is bytes and a packet on an operator's SSH link.
    public static func short(_ millis: Int64) -> String {
        let ms = max(0, millis)
        if ms < 1000 { return "\(ms)ms" }
        if ms < 10_000 {
            let tenths = ms / 100
            return tenths % 10 == 0 ? "\(tenths / 10)s" : "\(tenths / 10).\(tenths % 10)s"
        }
        let seconds = ms / 1000
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return compound(seconds / 60, "m", seconds % 60, "s") }
        if seconds < 86_400 { return compound(seconds / 3600, "h", (seconds % 3600) / 60, "m") }
        return compound(seconds / 86_400, "d", (seconds % 86_400) / 3600, "h", padded: false)
    }

    /// A configuration value in the one unit it is a whole number of, as it would be written:
    /// `250ms`, `2s`, `5m`, `2h`, `1d`, `1500ms`.
    public static func setting(_ millis: Int64) -> String {
        if millis == 0 { return "0" }
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)] where millis % size == 0 {
            return "\(millis / size)\(unit)"
        }
        return "\(millis)ms"
    }

    /// `3m12s`, `2h05m`, `3d4h`; the smaller unit left out when it is zero (`3m`, `2h`, `3d`).
    private static func compound(_ large: Int64, _ largeUnit: String, _ small: Int64, _ smallUnit: String, padded: Bool = true) -> String {
        if small == 0 { return "\(large)\(largeUnit)" }
        return "\(large)\(largeUnit)\(padded ? pad(small) : String(small))\(smallUnit)"
    }

    private static func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
