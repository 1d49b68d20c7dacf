import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A deliberately small Jolokia client for tests, on Foundation's URLSession.
///
/// The product has its own client; the tests use this one so that a fact about ActiveMQ
/// is checked against ActiveMQ, not against the code that relies on it.
struct JolokiaTestClient: Sendable {
    /// An HTTP answer: status and the body parsed as JSON.
    struct Response: @unchecked Sendable {
        /// HTTP status code. Jolokia answers 200 even when a read inside failed.
        let httpStatus: Int
        /// The body as `JSONSerialization` parsed it (`[String: Any]` or `[Any]`).
        let json: Any
    }

    /// Base URL ending in `/api/jolokia`.
    let baseURL: String

    /// GETs `baseURL` + `path` (e.g. `/read/org.apache.activemq:type=Broker,brokerName=*/Slave`).
    func get(_ path: String) async throws -> Response {
        guard let url = URL(string: baseURL + path) else {
            throw HarnessError.unknownBroker("bad Jolokia URL \(baseURL + path)")
        }
        return try await send(URLRequest(url: url))
    }

    /// POSTs a bulk request (a JSON array of request objects).
    ///
    /// `Content-Type: application/json` is required: with URLSession's default form
    /// encoding, Jetty consumes the body as form parameters and Jolokia answers 400
    /// "Invalid JSON request".
    func post(_ requests: [[String: String]]) async throws -> Response {
        guard let url = URL(string: baseURL) else {
            throw HarnessError.unknownBroker("bad Jolokia URL \(baseURL)")
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: requests)
        return try await send(request)
    }

    /// Reads one attribute of the broker MBean of `brokerName`, as a bulk-request entry.
    static func readBrokerAttribute(_ attribute: String, brokerName: String) -> [String: String] {
        ["type": "read", "mbean": "org.apache.activemq:type=Broker,brokerName=\(brokerName)", "attribute": attribute]
    }

    private func send(_ request: URLRequest) async throws -> Response {
        var request = request
        request.timeoutInterval = 5
        request.cachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? -1
        let json = try JSONSerialization.jsonObject(with: data)
        return Response(httpStatus: status, json: json)
    }
}

extension JolokiaTestClient {
    /// The `Slave` flag of the one broker behind this endpoint, via a pattern read;
    /// nil while it does not answer or its broker MBean is not registered yet.
    func slaveFlag(brokerName: String) async -> Bool? {
        guard let response = try? await get("/read/org.apache.activemq:type=Broker,brokerName=*/Slave"),
            response.httpStatus == 200,
            let body = response.json as? [String: Any],
            let values = body["value"] as? [String: Any],
            let broker = values["org.apache.activemq:brokerName=\(brokerName),type=Broker"] as? [String: Any]
        else { return nil }
        return broker["Slave"] as? Bool
    }
}
