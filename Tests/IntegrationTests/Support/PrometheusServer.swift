import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real Prometheus (Debian's package) with its own config and storage, scraping given targets on loopback.
final class PrometheusServer: @unchecked Sendable {
    static let binary = "/usr/bin/prometheus"
    let root: String
    let port: Int
    private let process: Process

    /// Whether the binary is installed (`.ci/setup` installs it).
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    /// Starts Prometheus scraping `targets` (`host:port`) every second, evaluating `ruleFiles`
    /// every second; waits until it is ready.
    ///
    /// With `web`, it scrapes over TLS (trusting the fixture's certificate) with basic auth
    /// (the password from the fixture's `password_file`), as an operator's config would.
    init(targets: [String], owner: String, web: ServeWebFixture? = nil, ruleFiles: [String] = []) async throws {
        root = "\(owner)/prometheus"
        try FileManager.default.createDirectory(atPath: "\(root)/data", withIntermediateDirectories: true)
        port = try LoopbackPorts.shared.next()
        var security = ""
        if let web {
            security = """
                    scheme: https
                    tls_config: {ca_file: '\(web.certificatePath)'}
                    basic_auth: {username: '\(web.user)', password_file: '\(web.passwordFile)'}

                """
        }
        let rules = ruleFiles.isEmpty ? "" : "rule_files: [\(ruleFiles.map { "'\($0)'" }.joined(separator: ", "))]\n"
        let config = """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            \(rules)scrape_configs:
              - job_name: amqtop
            \(security)    static_configs:
                  - targets: [\(targets.map { "'\($0)'" }.joined(separator: ", "))]

            """
        try config.write(toFile: "\(root)/prometheus.yml", atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "--config.file=\(root)/prometheus.yml", "--storage.tsdb.path=\(root)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ]
        let log = "\(root)/prometheus.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? handle.close() }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        ProcessReaper.shared.register(process.processIdentifier, owner: owner)
        let base = "http://127.0.0.1:\(port)"
        try await eventually(deadline: .now + .seconds(30), "Prometheus to be ready") {
            (try? await ServeHarness.get(base + "/-/ready").status) == 200
        }
    }

    /// The values of an instant query's result vector (at `time`, Unix seconds, or now), keyed by the result's labels (sorted `k=v` pairs).
    func query(_ promQL: String, at time: Double? = nil) async throws -> [String: Double] {
        var values: [String: Double] = [:]
        for entry in try await result(promQL, at: time) {
            if let value = entry.value["value"] as? [Any], value.count == 2, let text = value[1] as? String { values[entry.key] = Double(text) }
        }
        return values
    }

    /// The samples of a range-vector query (`series[5m]`), keyed like ``query(_:at:)``: (Unix seconds, value) in time order.
    func samples(_ promQL: String, at time: Double? = nil) async throws -> [String: [(time: Double, value: Double)]] {
        var series: [String: [(time: Double, value: Double)]] = [:]
        for entry in try await result(promQL, at: time) {
            series[entry.key] = (entry.value["values"] as? [[Any]] ?? []).compactMap { pair in
                guard pair.count == 2, let stamp = (pair[0] as? NSNumber)?.doubleValue, let value = (pair[1] as? String).flatMap(Double.init) else { return nil }
                return (stamp, value)
            }
        }
        return series
    }

    /// Whether Prometheus accepts `promQL` (`/api/v1/query` answers success), and its error when not.
    func accepts(_ promQL: String) async throws -> (Bool, String) {
        let answer = try await ServeHarness.get(try queryURL(promQL, at: nil))
        return (answer.status == 200, answer.body.prefix(300).description)
    }

    /// `/api/v1/alerts`: each alert's labels (sorted `k=v` pairs) and state (`pending`, `firing`).
    func alerts() async throws -> [(labels: String, state: String)] {
        let answer = try await ServeHarness.get("http://127.0.0.1:\(port)/api/v1/alerts")
        guard answer.status == 200,
            let json = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any],
            let data = json["data"] as? [String: Any], let alerts = data["alerts"] as? [[String: Any]]
        else { throw HarnessError.launch("Prometheus alerts: HTTP \(answer.status): \(answer.body.prefix(300))") }
        return alerts.map { (Self.key(of: $0["labels"]), $0["state"] as? String ?? "") }
    }

    private func queryURL(_ promQL: String, at time: Double?) throws -> String {
        var components = URLComponents(string: "http://127.0.0.1:\(port)/api/v1/query")!
        components.queryItems = [URLQueryItem(name: "query", value: promQL)] + (time.map { [URLQueryItem(name: "time", value: String(format: "%.3f", $0))] } ?? [])
        // `+` in PromQL must reach Prometheus as a plus, not a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url!.absoluteString
    }

    private func result(_ promQL: String, at time: Double?) async throws -> [(key: String, value: [String: Any])] {
        let answer = try await ServeHarness.get(try queryURL(promQL, at: time))
        guard answer.status == 200,
            let json = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any],
            let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]]
        else { throw HarnessError.launch("Prometheus query \(promQL): HTTP \(answer.status): \(answer.body.prefix(300))") }
        return result.map { (Self.key(of: $0["metric"]), $0) }
    }

    private static func key(of labels: Any?) -> String {
        (labels as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// The last lines of its log.
    func logTail() -> String {
        ((try? String(contentsOfFile: "\(root)/prometheus.log", encoding: .utf8)) ?? "").split(separator: "\n").suffix(15).joined(separator: "\n")
    }

    /// Stops it (SIGTERM, then SIGKILL) and waits for it to exit.
    func stop() async {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        if (try? await eventually(deadline: .now + .seconds(10), "Prometheus to exit") { !self.process.isRunning }) == nil {
            kill(process.processIdentifier, SIGKILL)
            try? await eventually(deadline: .now + .seconds(5), "Prometheus to die") { !self.process.isRunning }
        }
    }
}
