import AMQTopCore
import Testing

/// `sshConfig:`, `hosts:` and a broker's `host:`: parsed, and every mistake named by file, line and key.
struct HostConfigParserTests {
    func parse(_ text: String) throws -> AppConfig {
        try ConfigParser(fileName: "amqtop.yaml", environment: ["HOME": "/home/op"], baseDirectory: "/etc/amqtop") { _ in nil }
            .parse(text)
    }

    func failure(_ text: String) -> ConfigError? {
        do { _ = try parse(text); return nil } catch { return error as? ConfigError }
    }

    static let example = """
        sshConfig: ~/.ssh/config
        hosts:
          - name: amq1
            ssh: amq@amq1.example.com
          - name: amq2
            ssh: amq2-alias
        groups:
          - name: orders
            lockFile: /mnt/san/orders/kahadb/lock
            brokers:
              - name: broker1
                host: amq1
                jolokia: http://127.0.0.1:8161/api/jolokia
                openwire: tcp://127.0.0.1:61616
                pidFile: /var/lib/activemq/main/data/activemq.pid
                stop: signal
              - name: broker2
                host: amq2
                pidFile: "/srv/a b/it's $(touch /tmp/x)/activemq.pid"
              - name: local
                pidFile: relative.pid
        """

    @Test func parsesHostsAndBrokerHosts() throws {
        let config = try parse(Self.example)
        #expect(config.sshConfig == "/home/op/.ssh/config")
        #expect(config.hosts == [HostConfig(name: "amq1", ssh: "amq@amq1.example.com", line: 3), HostConfig(name: "amq2", ssh: "amq2-alias", line: 5)])
        let group = try #require(config.group(named: "orders"))
        #expect(group.brokers.map(\.host) == ["amq1", "amq2", nil])
        #expect(group.hostNames == ["amq1", "amq2"])
        #expect(group.brokers[0].stop == .signal)
        // A remote pid file is the host's path, kept verbatim: quotes and $(...) are data.
        #expect(group.brokers[1].pidFile == "/srv/a b/it's $(touch /tmp/x)/activemq.pid")
        // A local one is still relative to the config file.
        #expect(group.brokers[2].pidFile == "/etc/amqtop/relative.pid")
    }

    struct Mistake: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var line: Int?
        var key: String
        var says: String
        var testDescription: String { name }
    }

    static let mistakes: [Mistake] = [
        Mistake(name: "unknown host", yaml: "hosts:\n  - name: amq1\n    ssh: amq1\ngroups:\n  - name: g\n    brokers:\n      - name: b\n        host: amq9\n",
                line: 7, key: "groups[g].brokers[b].host", says: "unknown host amq9 (known: amq1)"),
        Mistake(name: "host without hosts list", yaml: "groups:\n  - name: g\n    brokers:\n      - name: b\n        host: amq1\n",
                line: 4, key: "groups[g].brokers[b].host", says: "no hosts: list"),
        Mistake(name: "duplicate host", yaml: "hosts:\n  - name: a\n    ssh: x\n  - name: a\n    ssh: y\n",
                line: 4, key: "hosts[a].name", says: "duplicate host name (first defined on line 2)"),
        Mistake(name: "host without ssh", yaml: "hosts:\n  - name: a\n", line: 2, key: "hosts[a].ssh", says: "missing"),
        Mistake(name: "unknown host key", yaml: "hosts:\n  - name: a\n    ssh: x\n    port: 22\n", line: 4, key: "hosts[a].port", says: "unknown key"),
        Mistake(name: "option as destination", yaml: "hosts:\n  - name: a\n    ssh: -oProxyCommand=touch\n", line: 3, key: "hosts[a].ssh", says: "not starting with -"),
        Mistake(name: "blank in destination", yaml: "hosts:\n  - name: a\n    ssh: \"amq1 rm\"\n", line: 3, key: "hosts[a].ssh", says: "one word"),
        Mistake(name: "newline in a path", yaml: "groups:\n  - name: g\n    lockFile: \"/a\\nb\"\n    brokers: [{name: b}]\n",
                line: 3, key: "groups[g].lockFile", says: "line break"),
        Mistake(name: "NUL in a path", yaml: "groups:\n  - name: g\n    brokers:\n      - name: b\n        pidFile: \"/a\\0b\"\n",
                line: 5, key: "groups[g].brokers[b].pidFile", says: "NUL"),
        Mistake(name: "relative remote pid file", yaml: "hosts:\n  - name: h\n    ssh: h\ngroups:\n  - name: g\n    brokers:\n      - name: b\n        host: h\n        pidFile: x.pid\n",
                line: 7, key: "groups[g].brokers[b].pidFile", says: "absolute path as host h sees it"),
        Mistake(name: "relative lock on hosts", yaml: "hosts:\n  - name: h\n    ssh: h\ngroups:\n  - name: g\n    lockFile: lock\n    brokers:\n      - name: b\n        host: h\n",
                line: 5, key: "groups[g].lockFile", says: "absolute"),
    ]

    @Test(arguments: mistakes)
    func mistakesNameLineAndKey(_ mistake: Mistake) throws {
        let error = try #require(failure(mistake.yaml))
        #expect(error.line == mistake.line, "\(error)")
        #expect(error.key == mistake.key, "\(error)")
        #expect(error.message.contains(mistake.says), "\(error)")
    }
}
