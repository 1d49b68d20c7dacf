import AMQTopProbes
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The same Jolokia requests sent to lab brokers and to real ActiveMQ 5.17 brokers (Jolokia
/// before the broker, so slaves answer), comparing the answers' structure: keys, JSON types,
/// `status`, `error_type`, HTTP status and media type, never names, ids or timestamps. The lab must not
/// drift from the real thing, or amqtop would be tested against a fiction.
@Suite(
    .serialized,
    .disabled(if: ActiveMQInstallation.skipRequested, "AMQTOP_SKIP_ACTIVEMQ=1: real-ActiveMQ integration tests skipped")
)
struct LabConformanceTests {
    /// One request, aimed at a master or a slave of each kind.
    struct Case: Sendable, CustomStringConvertible {
        enum Target: Sendable { case master, slave }
        let name: String
        let target: Target
        /// A GET path after `/api/jolokia`, with `NAME` standing for the target's broker name.
        var getPath: String?
        /// A POST body, with `NAME` standing for the target's broker name.
        var postBody: String?

        var description: String { "\(name) on the \(target)" }
    }

    static let mbean = "org.apache.activemq:type=Broker,brokerName=NAME"
    static let bulkAttributes = ["Slave", "BrokerName", "BrokerId", "BrokerVersion", "UptimeMillis"]

    static var bulkBody: String {
        "[" + bulkAttributes.map { #"{"type":"read","mbean":"\#(mbean)","attribute":"\#($0)"}"# }.joined(separator: ",") + "]"
    }

    /// The bulk read amqtop itself sends on every poll (no stack traces asked for).
    static var amqtopBulkBody: String {
        String(decoding: JolokiaRequests.bulkRead(mbean: mbean), as: UTF8.self)
    }

    static let cases: [Case] = [
        Case(name: "GET read Slave", target: .master, getPath: "/read/\(mbean)/Slave"),
        Case(name: "GET read Slave", target: .slave, getPath: "/read/\(mbean)/Slave"),
        Case(name: "GET read BrokerName", target: .slave, getPath: "/read/\(mbean)/BrokerName"),
        Case(name: "GET pattern read brokerName=*/Slave", target: .master,
             getPath: "/read/org.apache.activemq:type=Broker,brokerName=*/Slave"),
        Case(name: "GET pattern read brokerName=*/Slave", target: .slave,
             getPath: "/read/org.apache.activemq:type=Broker,brokerName=*/Slave"),
        Case(name: "POST single read Slave", target: .master,
             postBody: #"{"type":"read","mbean":"\#(mbean)","attribute":"Slave"}"#),
        Case(name: "POST single read Slave", target: .slave,
             postBody: #"{"type":"read","mbean":"\#(mbean)","attribute":"Slave"}"#),
        Case(name: "POST bulk read", target: .master, postBody: bulkBody),
        Case(name: "POST bulk read", target: .slave, postBody: bulkBody),
        Case(name: "POST amqtop's bulk read (includeStackTrace false)", target: .master, postBody: amqtopBulkBody),
        Case(name: "POST amqtop's bulk read (includeStackTrace false)", target: .slave, postBody: amqtopBulkBody),
        Case(name: "GET whole-MBean read", target: .slave, getPath: "/read/\(mbean)"),
        Case(name: "POST whole-MBean read", target: .slave, postBody: #"{"type":"read","mbean":"\#(mbean)"}"#),
        Case(name: "GET read of an unknown MBean", target: .master,
             getPath: "/read/org.apache.activemq:type=Broker,brokerName=nosuchbroker/Slave"),
        Case(name: "POST read of an unknown MBean", target: .slave,
             postBody: #"{"type":"read","mbean":"org.apache.activemq:type=Broker,brokerName=nosuchbroker","attribute":"Slave"}"#),
        Case(name: "GET read of an unknown attribute", target: .master, getPath: "/read/\(mbean)/NoSuchAttribute"),
        Case(name: "GET version", target: .master, getPath: "/version"),
        Case(name: "POST version", target: .slave, postBody: #"{"type":"version"}"#),
        Case(name: "GET search type=Broker,*", target: .slave, getPath: "/search/org.apache.activemq:type=Broker,*"),
        Case(name: "POST search type=Broker,*", target: .slave,
             postBody: #"{"type":"search","mbean":"org.apache.activemq:type=Broker,*"}"#),
    ]

    /// An endpoint and the broker name behind it.
    struct Endpoint: Sendable {
        let baseURL: String
        let brokerName: String
    }

    /// An HTTP answer, raw.
    struct Answer: Sendable {
        let httpStatus: Int
        /// The media type of `Content-Type`, without parameters.
        let mediaType: String
        let body: Data
    }

    @Test func labAnswersHaveTheSameStructureAsRealActiveMQ() async throws {
        let started = ContinuousClock.now
        let real = try await SharedActiveMQGroups.shared.group()
        let realMaster = try real.broker(named: try await real.waitForMaster(deadline: .now + .seconds(60)))
        let realSlaveName = try await eventuallyValue(deadline: .now + .seconds(30), "a real slave answering Slave=true") {
            for broker in real.brokers where broker.name != realMaster.name {
                if await JolokiaTestClient(baseURL: broker.jolokiaURL).slaveFlag(brokerName: broker.name) == true {
                    return broker.name
                }
            }
            return nil
        }
        let realSlave = try real.broker(named: realSlaveName)

        try await Self.withLabPair { labMaster, labSlave in
            var mismatches: [String] = []
            for testCase in Self.cases {
                let (labEndpoint, realEndpoint) =
                    switch testCase.target {
                    case .master: (Endpoint(baseURL: labMaster.jolokiaURL, brokerName: labMaster.name),
                                   Endpoint(baseURL: realMaster.jolokiaURL, brokerName: realMaster.name))
                    case .slave: (Endpoint(baseURL: labSlave.jolokiaURL, brokerName: labSlave.name),
                                  Endpoint(baseURL: realSlave.jolokiaURL, brokerName: realSlave.name))
                    }
                let labAnswer = try await Self.send(testCase, to: labEndpoint)
                let realAnswer = try await Self.send(testCase, to: realEndpoint)
                let labShape = try JSONShape.of(labAnswer.body)
                let realShape = try JSONShape.of(realAnswer.body)
                if labAnswer.httpStatus != realAnswer.httpStatus {
                    mismatches.append("\(testCase): HTTP \(labAnswer.httpStatus) (lab) vs \(realAnswer.httpStatus) (real)")
                }
                if labAnswer.mediaType != realAnswer.mediaType {
                    mismatches.append("\(testCase): Content-Type \(labAnswer.mediaType) (lab) vs \(realAnswer.mediaType) (real)")
                }
                let differences = JSONShape.differences(labShape, realShape)
                if !differences.isEmpty {
                    mismatches.append("\(testCase):\n  " + differences.joined(separator: "\n  ")
                        + "\n  real body: \(String(decoding: realAnswer.body.prefix(1500), as: UTF8.self))")
                }
            }
            #expect(mismatches.isEmpty, "lab vs real Jolokia:\n\(mismatches.joined(separator: "\n"))")
        }
        print("conformance: \(Self.cases.count) requests compared in \(ContinuousClock.now - started)")
    }

    /// The comparison itself: a changed JSON type is a difference, other MBean names are not.
    @Test func structureComparisonNoticesADifference() throws {
        let left = try JSONShape.of(Data(#"{"status":200,"value":{"Slave":true}}"#.utf8))
        let right = try JSONShape.of(Data(#"{"status":200,"value":{"Slave":1}}"#.utf8))
        #expect(JSONShape.differences(left, right) == ["$.value.Slave: lab bool vs real int"])
        let mbeans = try JSONShape.of(Data(#"{"value":{"org.apache.activemq:brokerName=a,type=Broker":{}}}"#.utf8))
        let others = try JSONShape.of(Data(#"{"value":{"org.apache.activemq:brokerName=b,type=Broker":{}}}"#.utf8))
        #expect(mbeans == others)
    }

    /// Runs `body` with a lab master and a lab slave on a fresh lock directory; always stops both.
    static func withLabPair(_ body: (LabBrokerProcess, LabBrokerProcess) async throws -> Void) async throws {
        let root = try Self.temporaryDirectory("amqtop-conformance")
        defer {
            ProcessReaper.shared.killAll(owner: root)
            try? FileManager.default.removeItem(atPath: root)
        }
        let first = try LabBrokerProcess(name: "lab1", directory: root, owner: root, logDirectory: root)
        let second = try LabBrokerProcess(name: "lab2", directory: root, owner: root, logDirectory: root)
        try first.start()
        try await eventually(deadline: .now + .seconds(10), "lab1 to become master") { first.isAcceptingOpenWire }
        try second.start()
        try await eventually(deadline: .now + .seconds(10), "lab2 to answer as a slave") {
            await JolokiaTestClient(baseURL: second.jolokiaURL).slaveFlag(brokerName: second.name) == true
        }
        do {
            try await body(first, second)
        } catch {
            print("lab1 log:\n\(first.logTail())\nlab2 log:\n\(second.logTail())")
            throw error
        }
        try await first.signal(SIGKILL)
        try await second.signal(SIGKILL)
    }

    /// Sends one case to `endpoint` (POSTs as `application/json`, as real Jolokia requires).
    static func send(_ testCase: Case, to endpoint: Endpoint) async throws -> Answer {
        var request: URLRequest
        if let path = testCase.getPath {
            let resolved = path.replacingOccurrences(of: "NAME", with: endpoint.brokerName)
            guard let url = URL(string: endpoint.baseURL + resolved) else {
                throw HarnessError.launch("bad URL \(endpoint.baseURL + resolved)")
            }
            request = URLRequest(url: url)
        } else {
            guard let url = URL(string: endpoint.baseURL) else { throw HarnessError.launch("bad URL \(endpoint.baseURL)") }
            request = URLRequest(url: url)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data((testCase.postBody ?? "").replacingOccurrences(of: "NAME", with: endpoint.brokerName).utf8)
        }
        request.timeoutInterval = 5
        request.cachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        let http = response as? HTTPURLResponse
        let contentType = http?.value(forHTTPHeaderField: "Content-Type") ?? ""
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return Answer(httpStatus: http?.statusCode ?? -1, mediaType: mediaType, body: data)
    }

    /// A new directory under the temporary directory, with symlinks resolved (as /proc shows paths).
    static func temporaryDirectory(_ prefix: String) throws -> String {
        var template = Array("\(NSTemporaryDirectory())/\(prefix)-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }
        }
        guard let created else { throw HarnessError.layout("mkdtemp \(prefix) failed") }
        let path = URL(fileURLWithPath: String(cString: created)).resolvingSymlinksInPath().path
        ProcessReaper.shared.removeAtExit(path)
        return path
    }
}
