/// Formats millisecond spans the way operators read them: `850ms`, `4.2s`, `3m12s`, `2h05m`, `3d4h`.
public enum DurationFormat {
    /// A compact span: sub-second in ms, under a minute with one decimal, then m/s, h/m, d/h.
    public static func short(_ millis: Int64) -> String {
        let ms = max(0, millis)
        if ms < 1000 { return "\(ms)ms" }
        if ms < 60_000 {
            let tenths = ms / 100
            return tenths % 10 == 0 ? "\(tenths / 10)s" : "\(tenths / 10).\(tenths % 10)s"
        }
        let seconds = ms / 1000
        if seconds < 3600 { return "\(seconds / 60)m\(pad(seconds % 60))s" }
        if seconds < 86_400 { return "\(seconds / 3600)h\(pad((seconds % 3600) / 60))m" }
        return "\(seconds / 86_400)d\((seconds % 86_400) / 3600)h"
    }

    /// Like `short`, but for configuration values: `250ms`, `2s`, `5m`, `1500ms`.
    public static func setting(_ millis: Int64) -> String {
        if millis == 0 { return "0" }
        if millis % 60_000 == 0 { return "\(millis / 60_000)m" }
        if millis % 1000 == 0 { return "\(millis / 1000)s" }
        return "\(millis)ms"
    }

    private static func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
