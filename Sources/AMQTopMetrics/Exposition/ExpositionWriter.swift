/// Writes metric families as Prometheus text 0.0.4 or OpenMetrics 1.0 text.
///
/// Hand-written rather than swift-prometheus's registry: that library emits only the 0.0.4
/// format, and its registry holds instruments a program increments, while `/metrics` here
/// is a snapshot of state (a broker's role label moves, an alert disappears) rebuilt per scrape.
public enum ExpositionWriter {
    /// The whole exposition; OpenMetrics ends with `# EOF`.
    public static func text(_ families: [MetricFamily], format: ExpositionFormat) -> String {
        var out = ""
        out.reserveCapacity(families.reduce(0) { $0 + 64 * (1 + $1.samples.count) })
        for family in families {
            let familyName = name(of: family, format: format)
            out += "# HELP \(familyName) \(escapeHelp(family.help, format: format))\n"
            out += "# TYPE \(familyName) \(typeWord(family.kind, format: format))\n"
            for sample in family.samples {
                out += sampleName(family, sample, format: format)
                if !sample.labels.isEmpty {
                    out += "{"
                    out += sample.labels.map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }.joined(separator: ",")
                    out += "}"
                }
                out += " \(number(sample.value))\n"
            }
        }
        if format == .openMetrics { out += "# EOF\n" }
        return out
    }

    /// The name on the family's HELP and TYPE lines.
    ///
    /// In 0.0.4 that is the sample name (`x_total`, `x_info`); OpenMetrics names the family
    /// without the type's suffix.
    static func name(of family: MetricFamily, format: ExpositionFormat) -> String {
        guard format == .prometheus else { return family.name }
        switch family.kind {
        case .counter: return family.name + "_total"
        case .info: return family.name + "_info"
        case .gauge, .histogram: return family.name
        }
    }

    private static func sampleName(_ family: MetricFamily, _ sample: MetricFamily.Sample, format: ExpositionFormat) -> String {
        switch family.kind {
        case .counter: family.name + "_total"
        case .info: family.name + "_info"
        case .gauge, .histogram: family.name + sample.suffix
        }
    }

    private static func typeWord(_ kind: MetricFamily.Kind, format: ExpositionFormat) -> String {
        switch kind {
        case .gauge: "gauge"
        case .counter: "counter"
        case .histogram: "histogram"
        // 0.0.4 has no info type: Prometheus's own convention is a gauge named `_info`.
        case .info: format == .openMetrics ? "info" : "gauge"
        }
    }

    /// A label value with backslash, double quote and line feed escaped (the same in both formats).
    public static func escapeLabelValue(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// HELP text: 0.0.4 escapes backslash and line feed; OpenMetrics also the double quote.
    static func escapeHelp(_ text: String, format: ExpositionFormat) -> String {
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"" where format == .openMetrics: out += "\\\""
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// A sample value or bucket bound: integers without a fraction, `+Inf`, `-Inf`, `NaN`.
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
