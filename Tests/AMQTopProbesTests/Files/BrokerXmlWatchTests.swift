import AMQTopCore
import Foundation
import Testing
@testable import AMQTopProbes

/// `brokerXml:` on real files: read at start, cached between reads, read again after the cadence.
struct BrokerXmlWatchTests {
    static func xml(keepAlive: Int) -> String {
        """
        <beans xmlns="http://www.springframework.org/schema/beans">
          <broker xmlns="http://activemq.apache.org/schema/core" brokerName="b1">
            <persistenceAdapter>
              <kahaDB directory="/srv/orders" lockKeepAlivePeriod="\(keepAlive)">
                <locker><shared-file-locker lockAcquireSleepInterval="1000"/></locker>
              </kahaDB>
            </persistenceAdapter>
          </broker>
        </beans>
        """
    }

    @Test func readsAtStartAgainAfterTheCadenceAndSaysWhatIsWrong() async throws {
        let root = NSTemporaryDirectory() + "amqtop-xmlwatch-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = "\(root)/activemq.xml"
        try Self.xml(keepAlive: 2000).write(toFile: path, atomically: true, encoding: .utf8)
        let watch = BrokerXmlWatch(cadenceMillis: 60_000)
        let broker = BrokerConfig(name: "b1", brokerXml: path)
        let first = try #require(await watch.reading(for: broker, nowMillis: 1_000))
        #expect(first.definition?.lockKeepAlivePeriodMillis == 2000)
        #expect(first.definition?.store.lockFile == "/srv/orders/lock")
        try Self.xml(keepAlive: 5000).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(await watch.reading(for: broker, nowMillis: 30_000) == first, "read again before the cadence")
        #expect(await watch.reading(for: broker, nowMillis: 61_000)?.definition?.lockKeepAlivePeriodMillis == 5000)

        try "<beans><broker brokerName=\"b1\">".write(toFile: path, atomically: true, encoding: .utf8)
        let broken = try #require(await watch.reading(for: broker, nowMillis: 200_000))
        #expect(broken.definition == nil)
        #expect(broken.problem?.contains(path) == true, "\(broken.problem ?? "")")
        #expect(await watch.reading(for: BrokerConfig(name: "b1"), nowMillis: 0) == nil)
        let noSession = try #require(await watch.reading(for: BrokerConfig(name: "b1", host: "h1", brokerXml: path), nowMillis: 0))
        #expect(noSession.definition == nil && noSession.problem?.contains("h1:\(path)") == true, "\(noSession.problem ?? "")")
    }

    /// A host that does not answer costs a round the wait, names the host, and its late answer is kept for the next round.
    @Test func aSlowHostNeverHoldsARound() async throws {
        let gate = Gate()
        let watch = BrokerXmlWatch(cadenceMillis: 60_000, waitMillis: 50) { host, path in
            await gate.wait()
            return try BrokerFileLoader().load(argument: "\(host):\(path)", path: path, host: host, bytes: Data(Self.xml(keepAlive: 7000).utf8), sidecars: [:])
        }
        let broker = BrokerConfig(name: "b1", host: "amq9", brokerXml: "/etc/activemq/activemq.xml")
        let waiting = try #require(await watch.reading(for: broker, nowMillis: 1_000))
        #expect(waiting.definition == nil)
        #expect(waiting.problem?.contains("no answer from amq9") == true, "\(waiting.problem ?? "")")
        await gate.open()
        let deadline = ContinuousClock.now + .seconds(20)
        var late = await watch.reading(for: broker, nowMillis: 2_000)
        while late?.definition == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            late = await watch.reading(for: broker, nowMillis: 2_000)
        }
        #expect(late?.definition?.lockKeepAlivePeriodMillis == 7000)
        #expect(late?.definition?.host == "amq9")
    }

    /// A read that fails (the host's session is down) is the reading's problem, as the loader said it.
    @Test func aFailedRemoteReadIsTheProblem() async throws {
        struct Down: Error, CustomStringConvertible { var description: String { "amq9:/x.xml: SSH to amq9: connection refused" } }
        let watch = BrokerXmlWatch(waitMillis: 5_000) { _, _ in throw Down() }
        let reading = try #require(await watch.reading(for: BrokerConfig(name: "b1", host: "amq9", brokerXml: "/x.xml"), nowMillis: 1_000))
        #expect(reading.problem == "amq9:/x.xml: SSH to amq9: connection refused")
    }
}

/// Holds a remote read until the test opens it.
private actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        waiters.forEach { $0.resume() }
        waiters = []
    }
}
