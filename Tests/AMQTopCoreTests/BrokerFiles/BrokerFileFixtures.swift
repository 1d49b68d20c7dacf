import Foundation
@testable import AMQTopCore

/// Small `activemq.xml` texts and helpers for the `amqtop init` tests.
enum BrokerFileFixtures {
    /// A broker in the shape the integration harness writes, with the store and locker settings given.
    static func broker(
        name: String, directory: String = "/srv/san/orders", keepAlive: String? = "2000", acquire: String? = "1000",
        useLock: String? = nil, openwire: String = "tcp://127.0.0.1:61616", jolokiaPort: Int? = 8200
    ) -> String {
        let keepAliveAttribute = keepAlive.map { " lockKeepAlivePeriod=\"\($0)\"" } ?? ""
        let useLockAttribute = useLock.map { " useLock=\"\($0)\"" } ?? ""
        let locker = acquire.map { "<locker><shared-file-locker lockAcquireSleepInterval=\"\($0)\"/></locker>" } ?? ""
        let jetty = jolokiaPort.map { """
            <bean id="jolokiaServer" class="org.eclipse.jetty.server.Server" init-method="start">
              <constructor-arg><bean class="java.net.InetSocketAddress">
                <constructor-arg value="127.0.0.1"/><constructor-arg value="\($0)" type="int"/>
              </bean></constructor-arg>
              <property name="handler"><bean class="org.eclipse.jetty.servlet.ServletContextHandler">
                <property name="contextPath" value="/api"/>
                <property name="servletHandler"><bean class="org.eclipse.jetty.servlet.ServletHandler">
                  <property name="servlets"><list><bean class="org.eclipse.jetty.servlet.ServletHolder">
                    <constructor-arg value="jolokia"/><constructor-arg value="org.jolokia.http.AgentServlet" type="java.lang.Class"/>
                  </bean></list></property>
                  <property name="servletMappings"><list><bean class="org.eclipse.jetty.servlet.ServletMapping">
                    <property name="servletName" value="jolokia"/><property name="pathSpec" value="/jolokia/*"/>
                  </bean></list></property>
                </bean></property>
              </bean></property>
            </bean>
            """ } ?? ""
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <beans xmlns="http://www.springframework.org/schema/beans">
            \(jetty)
              <broker xmlns="http://activemq.apache.org/schema/core" brokerName="\(name)" dataDirectory="${activemq.data}">
                <persistenceAdapter>
                  <kahaDB directory="\(directory)"\(keepAliveAttribute)\(useLockAttribute)>\(locker)</kahaDB>
                </persistenceAdapter>
                <transportConnectors>
                  <transportConnector name="openwire" uri="\(openwire)"/>
                  <transportConnector name="stomp" uri="stomp://0.0.0.0:61613"/>
                </transportConnectors>
              </broker>
            </beans>
            """
    }

    /// Definitions read from `xml` as if it were `/opt/NAME/conf/activemq.xml`.
    static func read(_ xml: String, instance: String = "b1", jettyXML: String? = nil, jettyProperties: String? = nil) throws -> [BrokerDefinition] {
        let file = "/opt/\(instance)/conf/activemq.xml"
        let root = try XMLTreeParser.parse(Data(xml.utf8), fileName: file)
        let jetty = try jettyXML.map { try XMLTreeParser.parse(Data($0.utf8), fileName: "jetty.xml") }
        return try BrokerDefinitionReader(file: file, layout: InstanceLayout(xmlPath: file))
            .read(root, jettyXML: jetty, jettyProperties: jettyProperties.map(WebConsoleEndpoint.properties))
    }

    /// The rendered YAML of `plan`, parsed back by the product's own config parser.
    static func roundTrip(_ plan: InitPlan) throws -> (yaml: String, config: AppConfig) {
        let yaml = InitYAMLRenderer.render(plan, sources: ["test"])
        let config = try ConfigParser(fileName: "generated.yaml", environment: [:], checkPasswordFile: { _ in nil }).parse(yaml)
        return (yaml, config)
    }

    /// A file's text, or nil when it is not installed here.
    static func installed(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }
}
