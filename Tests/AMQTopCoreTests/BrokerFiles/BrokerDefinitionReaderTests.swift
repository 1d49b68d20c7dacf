import Foundation
import Testing
@testable import AMQTopCore

/// `activemq.xml` → ``BrokerDefinition``: stores, lockers, connectors, web console, placeholders.
struct BrokerDefinitionReaderTests {
    typealias F = BrokerFileFixtures

    /// The instance template Debian's `activemq` package ships, as `/opt/main/conf/activemq.xml`.
    @Test func debianInstanceTemplate() throws {
        let text = try #require(F.installed("/etc/activemq/instances-available/main/activemq.xml"), "Debian's activemq package is not installed")
        let broker = try #require(try F.read(text, instance: "main").first)
        #expect(broker.brokerName == "localhost")
        #expect(broker.store == .sharedFile(element: "kahaDB", directory: "/opt/main/data/kahadb"))
        #expect(broker.store.lockFile == "/opt/main/data/kahadb/lock")
        #expect(broker.useLock)
        #expect(broker.lockKeepAlivePeriodMillis == 0)
        #expect(broker.lockAcquireSleepIntervalMillis == 10_000)
        #expect(broker.openwire == HostPort(host: "127.0.0.1", port: 61616))
        #expect(broker.jolokia == nil, "Debian's template has no web console")
    }

    /// Debian's example conf: a journaled JDBC factory, two connectors, no brokerName, a jetty.xml beside it that it does not import.
    @Test func debianExampleConf() throws {
        let text = try #require(F.installed("/usr/share/doc/activemq/examples/conf/activemq.xml"))
        let jetty = F.installed("/usr/share/doc/activemq/examples/conf/jetty.xml")
        let broker = try #require(try F.read(text, instance: "example", jettyXML: jetty).first)
        #expect(broker.brokerName == "localhost")
        #expect(broker.store == .database(element: "journalPersistenceAdapterFactory"))
        #expect(broker.connectors.map(\.uri) == ["tcp://localhost:61616", "stomp://localhost:61613"])
        #expect(broker.openwire == HostPort(host: "localhost", port: 61616))
        #expect(broker.jolokia == nil)
        if jetty != nil { #expect(broker.notes.contains { $0.contains("not imported") }, "\(broker.notes)") }
    }

    /// Debian's real `jetty.xml`, imported: its `jettyPort` bean says 127.0.0.1:8161.
    @Test func importedJettyXMLGivesTheJolokiaURL() throws {
        let jetty = try #require(F.installed("/usr/share/doc/activemq/examples/conf/jetty.xml"))
        let xml = F.broker(name: "b1", jolokiaPort: nil).replacingOccurrences(of: "</beans>", with: "<import resource=\"jetty.xml\"/></beans>")
        #expect(try F.read(xml, jettyXML: jetty).first?.jolokia == "http://127.0.0.1:8161/api/jolokia")
        // 6.3: the port lives in jetty-spring.properties.
        let properties = "# web console\njetty.http.host=0.0.0.0\njetty.http.port=8262\n"
        let jetty63 = #"<beans><bean id="jettyPort" class="org.apache.activemq.web.WebConsolePort"><property name="host" value="${jetty.http.host}"/><property name="port" value="${jetty.http.port}"/></bean></beans>"#
        #expect(try F.read(xml, jettyXML: jetty63, jettyProperties: properties).first?.jolokia == "http://127.0.0.1:8262/api/jolokia")
        #expect(try F.read(xml, jettyProperties: properties).first?.jolokia == "http://127.0.0.1:8262/api/jolokia")
    }

    /// The harness's shape: locker settings, the embedded Jolokia Jetty bean, a wildcard STOMP connector.
    @Test func harnessShapedBroker() throws {
        let broker = try #require(try F.read(F.broker(name: "b2", jolokiaPort: 8299)).first)
        #expect(broker.brokerName == "b2")
        #expect(broker.lockKeepAlivePeriodMillis == 2000)
        #expect(broker.lockAcquireSleepIntervalMillis == 1000)
        #expect(broker.jolokia == "http://127.0.0.1:8299/api/jolokia")
        #expect(broker.store.lockFile == "/srv/san/orders/lock")
        #expect(broker.connectors.count == 2)
    }

    @Test func wildcardOpenWireBecomesLoopbackWithANote() throws {
        let broker = try #require(try F.read(F.broker(name: "b1", openwire: "tcp://0.0.0.0:61616?maximumConnections=1000")).first)
        #expect(broker.openwire == HostPort(host: "127.0.0.1", port: 61616))
        #expect(broker.notes.contains { $0.contains("OpenWire binds 0.0.0.0") })
    }

    @Test(arguments: [
        ("<mKahaDB directory=\"${activemq.data}/mkahadb\" lockKeepAlivePeriod=\"5000\"><filteredPersistenceAdapters><filteredKahaDB><persistenceAdapter><kahaDB/></persistenceAdapter></filteredKahaDB></filteredPersistenceAdapters></mKahaDB>",
         BrokerStore.sharedFile(element: "mKahaDB", directory: "/opt/b1/data/mkahadb"), Int64(5000)),
        ("<levelDB directory=\"/srv/leveldb\"/>", BrokerStore.sharedFile(element: "levelDB", directory: "/srv/leveldb"), Int64(0)),
        ("<kahaDB directory=\"../shared/./kahadb\"/>", BrokerStore.sharedFile(element: "kahaDB", directory: "/opt/shared/kahadb"), Int64(0)),
        ("<jdbcPersistenceAdapter dataSource=\"#pg\"/>", BrokerStore.database(element: "jdbcPersistenceAdapter"), Int64(0)),
    ])
    func storeElements(adapter: String, store: BrokerStore, keepAlive: Int64) throws {
        let xml = "<beans><broker brokerName=\"x\"><persistenceAdapter>\(adapter)</persistenceAdapter></broker></beans>"
        let broker = try #require(try F.read(xml).first)
        #expect(broker.store == store)
        #expect(broker.lockKeepAlivePeriodMillis == keepAlive)
    }

    /// No persistence adapter: BrokerService's own default, dataDirectory/brokerName/KahaDB.
    @Test func defaultStore() throws {
        let withData = try #require(try F.read("<beans><broker brokerName=\"b7\" dataDirectory=\"/var/amq\"/></beans>").first)
        #expect(withData.store == .sharedFile(element: "kahaDB", directory: "/var/amq/b7/KahaDB"))
        let without = try #require(try F.read("<beans><amq:broker xmlns:amq=\"http://activemq.apache.org/schema/core\" brokerName=\"b7\"/></beans>").first)
        #expect(without.store == .sharedFile(element: "kahaDB", directory: "/opt/b1/data/b7/KahaDB"))
        #expect(without.notes.contains { $0.contains("no dataDirectory") })
        let transient = try #require(try F.read("<beans><broker persistent=\"false\"/></beans>").first)
        #expect(transient.store == .none(reason: "persistent=\"false\""))
    }

    @Test func placeholders() {
        let resolver = PlaceholderResolver(properties: ["activemq.data": "/d"])
        #expect(resolver.resolve("${activemq.data}/kahadb").value == "/d/kahadb")
        #expect(resolver.resolve("${store.dir:/fallback}/x").value == "/fallback/x")
        let unknown = resolver.resolve("${nfs.root}/x")
        #expect(unknown.value == "${nfs.root}/x")
        #expect(unknown.unresolved == ["nfs.root"])
        #expect(resolver.resolve("${unclosed").value == "${unclosed")
    }

    @Test func layoutAndFlags() {
        let layout = InstanceLayout(xmlPath: "/opt/amq/conf/activemq.xml")
        #expect(layout == InstanceLayout(base: "/opt/amq", conf: "/opt/amq/conf", data: "/opt/amq/data", home: "/opt/amq"))
        let flagged = InstanceLayout(xmlPath: "/etc/activemq/main/activemq.xml", base: "/var/lib/activemq/main", home: "/usr/share/activemq")
        #expect(flagged.data == "/var/lib/activemq/main/data")
        #expect(flagged.conf == "/etc/activemq/main")
        #expect(PathText.normalize("/a/b/../../../c/./d/") == "/c/d")
    }

    @Test func badXMLNamesLineAndElement() {
        let text = "<beans>\n  <broker brokerName=\"b1\">\n    <persistenceAdapter>\n      <kahaDB directory=\"/x\">\n    </persistenceAdapter>\n</beans>\n"
        do {
            _ = try F.read(text)
            Issue.record("no error")
        } catch let error as BrokerFileError {
            #expect(error.file == "/opt/b1/conf/activemq.xml")
            #expect(error.line == 5, "\(error)")
            #expect(error.element == "<kahaDB>", "\(error)")
            #expect(error.description == "/opt/b1/conf/activemq.xml:5: <kahaDB>: not well-formed XML: end tag does not match the open element (libxml2 code 76); <kahaDB> was opened on line 4", "\(error)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func malformedValuesAndMissingBroker() {
        #expect(throws: BrokerFileError(file: "/opt/b1/conf/activemq.xml", line: 4, element: "<kahaDB> lockKeepAlivePeriod", message: "not a number of milliseconds: 2s")) {
            _ = try F.read("<beans>\n<broker>\n<persistenceAdapter>\n<kahaDB directory=\"/x\" lockKeepAlivePeriod=\"2s\"/>\n</persistenceAdapter></broker></beans>")
        }
        #expect(throws: BrokerFileError.self) { _ = try F.read("<beans><bean id=\"x\"/></beans>") }
    }
}

/// Bytes XMLParser must never see: invalid UTF-8 made Foundation trap (found by the fuzzer).
struct XMLTreeParserEncodingTests {
    @Test func invalidUTF8IsAnErrorWithItsLine() {
        var bytes = Array("<beans>\n<!-- caf".utf8)
        bytes += [0xF1]
        bytes += Array(" -->\n<broker/></beans>".utf8)
        #expect(throws: BrokerFileError(file: "f.xml", line: 2, message: "not UTF-8 text: byte 0xF1 (declare the file's encoding in <?xml ... encoding=\"...\"?>)")) {
            _ = try XMLTreeParser.parse(Data(bytes), fileName: "f.xml")
        }
        #expect(XMLTreeParser.firstInvalidUTF8(Array("ok é € 𝄞".utf8)) == nil)
        #expect(XMLTreeParser.firstInvalidUTF8([0x61, 0xC0, 0x80]) == 1, "overlong")
        #expect(XMLTreeParser.firstInvalidUTF8([0xED, 0xA0, 0x80]) == 0, "surrogate")
        #expect(XMLTreeParser.firstInvalidUTF8([0xE2, 0x82]) == 0, "truncated")
    }

    /// A bogus declared encoding with bytes that are not UTF-8 in an element name made
    /// Foundation trap inside libxml2's start-element callback (found by the brokerxml fuzz
    /// target in a CI run): any encoding amqtop does not convert itself is refused.
    @Test func otherDeclaredEncodingsAndNULAreRefused() {
        var bytes = Array("<?xml version=\"1.0\" encoding=\"UTF-2222\"?>\n<beans".utf8)
        bytes += [0xE0, 0x87, 0x92]
        bytes += Array("><broker/></beans>".utf8)
        #expect(throws: BrokerFileError(file: "f.xml", line: 1, message: "declares encoding \"UTF-2222\": amqtop init reads UTF-8, US-ASCII and ISO-8859-1 files (convert it: iconv -f UTF-2222 -t UTF-8)")) {
            _ = try XMLTreeParser.parse(Data(bytes), fileName: "f.xml")
        }
        #expect(throws: BrokerFileError(file: "f.xml", line: 2, message: "not text: a NUL byte")) {
            _ = try XMLTreeParser.parse(Data(Array("<beans>\n<broker brokerName=\"a".utf8) + [0] + Array("\"/></beans>".utf8)), fileName: "f.xml")
        }
        #expect(throws: BrokerFileError.self) {
            _ = try XMLTreeParser.parse(Data("<?xml version='1.0' encoding='EBCDIC-US'?><beans/>".utf8), fileName: "f.xml")
        }
        // Declared UTF-8 or US-ASCII in any case passes on to the parser.
        #expect((try? XMLTreeParser.parse(Data("<?xml version=\"1.0\" encoding=\"US-ASCII\"?><beans/>".utf8), fileName: "f.xml"))?.name == "beans")
    }

    /// A declared Latin-1 file is libxml2's to convert: "é" as one byte reads fine.
    @Test func declaredLatin1IsConverted() throws {
        var bytes = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<beans><!-- caf".utf8)
        bytes += [0xE9]
        bytes += Array(" --><broker brokerName=\"b\"/></beans>".utf8)
        let root = try XMLTreeParser.parse(Data(bytes), fileName: "f.xml")
        #expect(root.children.first?.attributes["brokerName"] == "b")
    }
}
