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

    /// Starts Prometheus scraping `targets` (`host:port`) every second; waits until it is ready.
    init(targets: [String], owner: String) async throws {
        root = "\(owner)/prometheus"
        try FileManager.default.createDirectory(atPath: "\(root)/data", withIntermediateDirectories: true)
        port = try LoopbackPorts.shared.next()
        let config = """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: amqtop
                static_configs:
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

    /// The values of an instant query's result vector, keyed by the result's labels (sorted `k=v` pairs).
    func query(_ promQL: String) async throws -> [String: Double] {
        var components = URLComponents(string: "http://127.0.0.1:\(port)/api/v1/query")!
        components.queryItems = [URLQueryItem(name: "query", value: promQL)]
        let answer = try await ServeHarness.get(components.url!.absoluteString)
        guard answer.status == 200,
            let json = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any],
            let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]]
        else { throw HarnessError.launch("Prometheus query \(promQL): HTTP \(answer.status): \(answer.body.prefix(300))") }
        var values: [String: Double] = [:]
        for entry in result {
            let labels = (entry["metric"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            if let value = entry["value"] as? [Any], value.count == 2, let text = value[1] as? String { values[labels] = Double(text) }
        }
        return values
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
