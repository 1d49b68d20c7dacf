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

    @Test func readsAtStartAgainAfterTheCadenceAndSaysWhatIsWrong() throws {
        let root = NSTemporaryDirectory() + "amqtop-xmlwatch-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = "\(root)/activemq.xml"
        try Self.xml(keepAlive: 2000).write(toFile: path, atomically: true, encoding: .utf8)
        let watch = BrokerXmlWatch(cadenceMillis: 60_000)
        let broker = BrokerConfig(name: "b1", brokerXml: path)
        let first = try #require(watch.reading(for: broker, nowMillis: 1_000))
        #expect(first.definition?.lockKeepAlivePeriodMillis == 2000)
        #expect(first.definition?.store.lockFile == "/srv/orders/lock")
        try Self.xml(keepAlive: 5000).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(watch.reading(for: broker, nowMillis: 30_000) == first, "read again before the cadence")
        #expect(watch.reading(for: broker, nowMillis: 61_000)?.definition?.lockKeepAlivePeriodMillis == 5000)

        try "<beans><broker brokerName=\"b1\">".write(toFile: path, atomically: true, encoding: .utf8)
        let broken = try #require(watch.reading(for: broker, nowMillis: 200_000))
        #expect(broken.definition == nil)
        #expect(broken.problem?.contains(path) == true, "\(broken.problem ?? "")")
        #expect(watch.reading(for: BrokerConfig(name: "b1"), nowMillis: 0) == nil)
        #expect(watch.reading(for: BrokerConfig(name: "b1", host: "h1", brokerXml: path), nowMillis: 0) == nil)
    }
}
