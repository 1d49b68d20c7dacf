// The families of one real scrape, rendered by amqtop's ExpositionWriter and by swift-prometheus 2.4.1.
//
//     swift run -c release exposition-cost SCRAPE.txt [ROUNDS]
//
// SCRAPE.txt is one Prometheus-text scrape of `amqtop serve` (serve_bench.py --save-scrape).
// The rounds alternate the two, so machine load falls on both alike; times are this thread's
// CPU time (CLOCK_THREAD_CPUTIME_ID), medians over the rounds.
import AMQTopExposition
import Foundation
import Prometheus

#if canImport(Glibc)
import Glibc
#endif

struct ParsedSample {
    var name: String
    var labels: [(String, String)]
    var value: Double
}

/// `name{a="x",b="y"} value` (values as amqtop writes them: `\\`, `\"` and `\n` escaped).
func parseSample(_ line: Substring) -> ParsedSample? {
    guard let end = line.lastIndex(of: " "), let value = Double(line[line.index(after: end)...].replacingOccurrences(of: "+Inf", with: "inf")) else { return nil }
    let head = line[..<end]
    guard let brace = head.firstIndex(of: "{") else { return ParsedSample(name: String(head), labels: [], value: value) }
    var labels: [(String, String)] = []
    var rest = head[head.index(after: brace)...].dropLast()
    while let equals = rest.firstIndex(of: "=") {
        let key = String(rest[..<equals])
        var index = rest.index(equals, offsetBy: 2)
        var text = ""
        while rest[index] != "\"" {
            if rest[index] == "\\" {
                index = rest.index(after: index)
                text.append(rest[index] == "n" ? "\n" : rest[index])
            } else {
                text.append(rest[index])
            }
            index = rest.index(after: index)
        }
        labels.append((key, text))
        rest = rest[rest.index(after: index)...]
        if rest.first == "," { rest = rest.dropFirst() }
    }
    return ParsedSample(name: String(head[..<brace]), labels: labels, value: value)
}

struct Family {
    var name: String
    var help = ""
    var type = "gauge"
    var samples: [ParsedSample] = []
}

func parse(_ text: String) -> [Family] {
    var families: [Family] = []
    for line in text.split(separator: "\n") {
        if line.hasPrefix("# HELP ") {
            let parts = line.dropFirst(7).split(separator: " ", maxSplits: 1)
            families.append(Family(name: String(parts[0]), help: parts.count > 1 ? String(parts[1]) : ""))
        } else if line.hasPrefix("# TYPE ") {
            families[families.count - 1].type = String(line.split(separator: " ").last!)
        } else if !line.hasPrefix("#"), let sample = parseSample(line) {
            families[families.count - 1].samples.append(sample)
        }
    }
    return families
}

/// amqtop's families (the TYPE line's name; counters lose `_total`, which the writer adds back).
func amqtopFamilies(_ families: [Family]) -> [MetricFamily] {
    families.map { family in
        let kind: MetricFamily.Kind = switch family.type {
        case "counter": .counter
        case "histogram": .histogram
        default: .gauge
        }
        let base = kind == .counter && family.name.hasSuffix("_total") ? String(family.name.dropLast(6)) : family.name
        var result = MetricFamily(name: base, help: family.help, kind: kind)
        for sample in family.samples {
            let suffix = String(sample.name.dropFirst(family.name.count))
            result.samples.append(.init(suffix: kind == .counter ? "" : suffix, labels: sample.labels.map { MetricFamily.Label($0.0, $0.1) }, value: sample.value))
        }
        return result
    }
}

/// The same series in a swift-prometheus registry; returns a closure that sets every gauge again (what a scrape of changing state costs).
func fillRegistry(_ registry: PrometheusCollectorRegistry, _ families: [Family]) -> () -> Void {
    var gauges: [(Gauge, Double)] = []
    for family in families {
        let descriptor = MetricNameDescriptor(metricName: family.name, unitName: "", helpText: family.help)
        switch family.type {
        case "counter":
            for sample in family.samples {
                registry.makeCounter(descriptor: descriptor, labels: sample.labels).increment(by: Int64(sample.value))
            }
        case "histogram":
            // One histogram per label set: observe each bucket's own count at its bound (le is inclusive).
            var byLabels: [String: [ParsedSample]] = [:]
            var order: [String] = []
            for sample in family.samples {
                let key = sample.labels.filter { $0.0 != "le" }.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
                if byLabels[key] == nil { order.append(key) }
                byLabels[key, default: []].append(sample)
            }
            for key in order {
                let samples = byLabels[key]!
                let buckets = samples.filter { $0.name.hasSuffix("_bucket") }
                // `+Inf` is not a bound to give the library: it writes that bucket itself.
                let bounds = buckets.compactMap { Double($0.labels.first { $0.0 == "le" }!.1) }.filter(\.isFinite)
                let labels = samples[0].labels.filter { $0.0 != "le" }
                let histogram = registry.makeValueHistogram(descriptor: descriptor, labels: labels, buckets: bounds)
                var below = 0.0
                for bucket in buckets {
                    let le = Double(bucket.labels.first { $0.0 == "le" }!.1) ?? .infinity
                    let bound = le.isFinite ? le : (bounds.last ?? 1) * 2
                    for _ in 0..<Int(bucket.value - below) { histogram.record(bound) }
                    below = bucket.value
                }
            }
        default:
            for sample in family.samples {
                let gauge = registry.makeGauge(descriptor: descriptor, labels: sample.labels)
                gauge.set(sample.value)
                gauges.append((gauge, sample.value))
            }
        }
    }
    return { for (gauge, value) in gauges { gauge.set(value) } }
}

func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let text = try? String(contentsOfFile: arguments[1], encoding: .utf8) else {
    FileHandle.standardError.write(Data("usage: exposition-cost SCRAPE.txt [ROUNDS]\n".utf8))
    exit(2)
}
let rounds = arguments.count > 2 ? Int(arguments[2]) ?? 200 : 200
let parsed = parse(text)
let families = amqtopFamilies(parsed)
let handWritten = ExpositionWriter.text(families, format: .prometheus)
let sampleLines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.count
let registry = PrometheusCollectorRegistry()
let setAll = fillRegistry(registry, parsed)
var buffer: [UInt8] = []
registry.emit(into: &buffer)
let libraryLines = String(decoding: buffer, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("#") }.count
if let dump = ProcessInfo.processInfo.environment["EXPOSITION_COST_DUMP"] {
    // The library's text, to compare with the input line by line.
    _ = FileManager.default.createFile(atPath: dump, contents: Data(buffer))
}
print("input: \(text.utf8.count) bytes, \(parsed.count) families, \(sampleLines) samples; the writer gives it back \(handWritten == text ? "byte for byte" : "with differences")")

var writerTimes: [Double] = []
var emitTimes: [Double] = []
var setAndEmitTimes: [Double] = []
var bytes = (writer: 0, library: 0)
for _ in 0..<rounds {
    var start = threadCPUSeconds()
    let out = ExpositionWriter.text(families, format: .prometheus)
    bytes.writer = out.utf8.count
    writerTimes.append(threadCPUSeconds() - start)

    start = threadCPUSeconds()
    buffer.removeAll(keepingCapacity: true)
    registry.emit(into: &buffer)
    bytes.library = buffer.count
    emitTimes.append(threadCPUSeconds() - start)

    start = threadCPUSeconds()
    setAll()
    buffer.removeAll(keepingCapacity: true)
    registry.emit(into: &buffer)
    setAndEmitTimes.append(threadCPUSeconds() - start)
}
func ms(_ value: Double) -> String { String(format: "%.2f ms", value * 1000) }
print("ExpositionWriter (amqtop): \(ms(median(writerTimes))) per scrape (min \(ms(writerTimes.min()!))), \(bytes.writer) bytes, \(sampleLines) samples")
print("swift-prometheus 2.4.1 emit: \(ms(median(emitTimes))) per scrape (min \(ms(emitTimes.min()!))), \(bytes.library) bytes, \(libraryLines) samples")
print("swift-prometheus 2.4.1 set every gauge + emit: \(ms(median(setAndEmitTimes))) per scrape (min \(ms(setAndEmitTimes.min()!)))")
let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)).map { $0.split(separator: " ").prefix(3).joined(separator: " ") } ?? "?"
print("rounds: \(rounds), interleaved; thread CPU time; load average \(load)")
