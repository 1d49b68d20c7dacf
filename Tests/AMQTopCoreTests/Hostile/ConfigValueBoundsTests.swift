import Foundation
import Testing

@testable import AMQTopCore

/// No config value reaches a trapping conversion, and each bad one gets its own message (issue 14).
struct ConfigValueBoundsTests {
    static func parse(_ broker: String, checkCA: Bool = false) -> ConfigError? {
        var parser = ConfigParser(fileName: "amqtop.yaml", environment: [:], baseDirectory: "/etc/amqtop") { _ in nil }
        if !checkCA { parser.checkCAFile = { _ in nil } }
        do {
            _ = try parser.parse("groups:\n  - name: g\n    brokers:\n      - name: b1\n" + broker)
            return nil
        } catch let error as ConfigError {
            return error
        } catch {
            return ConfigError(file: "?", line: nil, key: nil, message: "\(error)")
        }
    }

    /// Jolokia URLs: the port above 65535 with an IP address trapped inside the HTTP client.
    static let badURLs: [(String, String)] = [
        ("http://127.0.0.1:99999/api/jolokia", "not a port (1-65535): 99999"),
        ("http://127.0.0.1:65536/api/jolokia", "not a port (1-65535): 65536"),
        ("http://10.0.0.1:0/api/jolokia", "not a port (1-65535): 0"),
        ("http://10.0.0.1:99999999999999999999999/", "not a port (1-65535): 99999999999999999999999"),
        ("http://[::1]:70000/api/jolokia", "not a port (1-65535): 70000"),
        ("http://10.0.0.1:/api/jolokia", "not a port (1-65535): "),
        ("http://10.0.0.300:8161/api/jolokia", "not an IPv4 address: 10.0.0.300"),
        ("http://1.2.3:8161/api/jolokia", "not an IPv4 address: 1.2.3"),
        ("http://[::g]:8161/api/jolokia", "not an IPv6 address: ::g"),
        ("http://bro%0Aker:8161/api/jolokia", "not a host name: bro\nker"),
        ("http://a..b:8161/api/jolokia", "not a host name: a..b"),
    ]

    @Test(arguments: badURLs)
    func badJolokiaAddressesAreRefusedAtLoad(_ url: String, _ says: String) {
        let error = Self.parse("        jolokia: '\(url)'\n")
        #expect(error?.key == "groups[g].brokers[b1].jolokia", "\(url): \(String(describing: error))")
        #expect(error?.message.hasPrefix(says) == true, "\(url): \(String(describing: error))")
    }

    @Test(arguments: [
        "http://127.0.0.1:8161/api/jolokia", "https://broker1.example.com:8162/api/jolokia", "http://[::1]:8161/api/jolokia",
        "http://broker_1:65535/j", "http://localhost/api/jolokia", "http://amq1.example.com.:1/j",
    ])
    func goodJolokiaAddressesLoad(_ url: String) {
        #expect(Self.parse("        jolokia: '\(url)'\n") == nil)
    }

    @Test(arguments: [
        ("tcp://h:65536", "not a transport address"), ("tcp://h:-1", "not a transport address"),
        ("tcp://999.1.1.1:61616", "not an IPv4 address"), ("tcp://h$x:61616", "not a host name"),
    ])
    func badOpenWireAddresses(_ address: String, _ says: String) {
        let error = Self.parse("        openwire: '\(address)'\n")
        #expect(error?.message.hasPrefix(says) == true, "\(address): \(String(describing: error))")
    }

    @Test func adHocFlagsAreCheckedTheSameWay() {
        #expect(throws: ConfigError.self) {
            _ = try AdHocGroup(lockFile: "/l", brokers: ["b1=http://127.0.0.1:99999/j"], openwire: [], pidFiles: []).build()
        }
        #expect(throws: ConfigError.self) {
            _ = try AdHocGroup(lockFile: "/l", brokers: ["b1=http://h:1/j"], openwire: ["b1=tcp://300.1.1.1:1"], pidFiles: []).build()
        }
    }

    /// Out of range is "too long", negative "must not be negative", and only junk "not a duration".
    static let durations: [(String, String?)] = [
        ("250ms", nil), ("100d", nil), ("1e300s", "too long: 1e300s"), ("99999999999999999999", "too long"),
        ("36500000d", "too long"), ("-5s", "must not be negative: -5s"), ("-1", "must not be negative"),
        ("two seconds", "not a duration: two seconds"), ("5 parsecs", "not a duration"), ("nan", "not a duration"),
        ("infs", "not a duration"), ("", "not a duration"),
    ]

    @Test(arguments: durations)
    func durationsSayWhatIsWrong(_ text: String, _ says: String?) {
        let problem = DurationParser.problem(text)
        if let says {
            #expect(problem?.hasPrefix(says) == true, "\(text): \(String(describing: problem))")
        } else {
            #expect(problem == nil)
        }
    }

    /// `ca:` is read when the config loads: a FIFO, a missing file or no PEM in it, named.
    @Test func caFilesAreCheckedAtLoad() throws {
        let dir = NSTemporaryDirectory() + "amqtop-ca-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/fifo.pem", 0o644) == 0)
        try "garbage\n".write(toFile: dir + "/garbage.pem", atomically: true, encoding: .utf8)
        try "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".write(toFile: dir + "/ok.pem", atomically: true, encoding: .utf8)
        let cases: [(String, String?)] = [
            ("fifo.pem", "CA file \(dir)/fifo.pem: is a FIFO (named pipe), not a regular file"),
            ("missing.pem", "CA file \(dir)/missing.pem: no such file"),
            ("garbage.pem", "CA file \(dir)/garbage.pem: no PEM certificate in it (expected a -----BEGIN CERTIFICATE----- block)"),
            ("ok.pem", nil),
        ]
        for (name, says) in cases {
            let error = Self.parse("        jolokia: 'https://h:8162/j'\n        ca: \(dir)/\(name)\n", checkCA: true)
            #expect(error?.message == says, "\(name)")
            if says != nil { #expect(error?.key == "groups[g].brokers[b1].ca" && error?.line == 6) }
        }
    }
}
