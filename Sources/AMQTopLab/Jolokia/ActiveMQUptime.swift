/// ActiveMQ's `TimeUtils.printDuration`, which renders the broker MBean's `Uptime` attribute.
public enum ActiveMQUptime {
    /// Formats `millis` as ActiveMQ does: "12.345 seconds", "5 minutes", "2 hours 3 minutes", "1 day 4 hours".
    public static func format(millis: Int64) -> String {
        var uptime = Double(millis) / 1000
        if uptime < 60 {
            return "\(decimal(uptime)) seconds"
        }
        uptime /= 60
        if uptime < 60 {
            let minutes = Int64(uptime)
            return "\(grouped(minutes)) \(minutes > 1 ? "minutes" : "minute")"
        }
        uptime /= 60
        if uptime < 24 {
            let hours = Int64(uptime)
            let minutes = Int64((uptime - Double(hours)) * 60)
            var text = "\(grouped(hours)) \(hours > 1 ? "hours" : "hour")"
            if minutes != 0 { text += " \(grouped(minutes)) \(minutes > 1 ? "minutes" : "minute")" }
            return text
        }
        uptime /= 24
        let days = Int64(uptime)
        let hours = Int64((uptime - Double(days)) * 24)
        var text = "\(grouped(days)) \(days > 1 ? "days" : "day")"
        if hours != 0 { text += " \(grouped(hours)) \(hours > 1 ? "hours" : "hour")" }
        return text
    }

    /// Java's `DecimalFormat("###,##0.000")` for values below 60.
    private static func decimal(_ value: Double) -> String {
        let thousandths = Int64((value * 1000).rounded(.toNearestOrEven))
        let whole = thousandths / 1000
        let fraction = thousandths % 1000
        let padded = String(fraction)
        return "\(whole).\(String(repeating: "0", count: 3 - padded.count))\(padded)"
    }

    /// Java's `DecimalFormat("###,###")`: thousands separated by commas.
    private static func grouped(_ value: Int64) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}
