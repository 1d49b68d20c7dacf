import Foundation

/// Writes one broker's base directory: `conf/activemq.xml`, logging configuration and `lib/` links.
///
/// The text generators are pure so a test can read exactly what a broker was given.
enum ActiveMQBrokerFiles {
    /// Creates `conf/`, `data/`, `lib/` under the broker's base and fills them.
    static func write(
        _ broker: ActiveMQBroker,
        sharedDirectory: String,
        options: ActiveMQGroupOptions
    ) throws {
        let fileManager = FileManager.default
        do {
            for directory in [broker.configurationDirectory, broker.dataDirectory, broker.libraryDirectory] {
                try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            try activeMQXML(broker, sharedDirectory: sharedDirectory, options: options)
                .write(toFile: broker.configurationFile, atomically: true, encoding: .utf8)
            try log4jProperties.write(
                toFile: "\(broker.configurationDirectory)/log4j.properties", atomically: true, encoding: .utf8)
            try log4j2Properties.write(
                toFile: "\(broker.configurationDirectory)/log4j2.properties", atomically: true, encoding: .utf8)
            for name in ActiveMQInstallation.jolokiaJarNames {
                try fileManager.createSymbolicLink(
                    atPath: "\(broker.libraryDirectory)/\(name).jar",
                    withDestinationPath: "\(ActiveMQInstallation.javaLibraryDirectory)/\(name).jar"
                )
            }
        } catch {
            throw HarnessError.layout("\(broker.baseDirectory): \(error)")
        }
    }

    /// The broker's Spring XML.
    ///
    /// The locker settings sit where ActiveMQ's XBean schema puts them:
    /// `lockKeepAlivePeriod` is an attribute of `<kahaDB>`, `lockAcquireSleepInterval` an
    /// attribute of the `<shared-file-locker>` element inside `<kahaDB><locker>`.
    /// Spring creates singleton beans in document order and the broker bean blocks in
    /// `start()` while it waits for the lock, so the Jetty bean's position decides whether a
    /// slave serves Jolokia at all.
    static func activeMQXML(
        _ broker: ActiveMQBroker,
        sharedDirectory: String,
        options: ActiveMQGroupOptions
    ) -> String {
        let jolokia = jolokiaServerBean(port: broker.jolokiaPort)
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- Written by amqtop's integration test harness. -->
            <beans xmlns="http://www.springframework.org/schema/beans"
              xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
              xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans.xsd
              http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">
            \(options.jolokiaBeforeBroker ? jolokia : "")
              <broker xmlns="http://activemq.apache.org/schema/core"
                      brokerName="\(broker.name)"
                      useJmx="true"
                      persistent="true"
                      schedulerSupport="false"
                      dataDirectory="\(broker.dataDirectory)">
                <managementContext>
                  <!-- No RMI connector: several brokers on one host would fight over port 1099. -->
                  <managementContext createConnector="false"/>
                </managementContext>
                <persistenceAdapter>
                  <kahaDB directory="\(sharedDirectory)" lockKeepAlivePeriod="\(options.lockKeepAlivePeriod.wholeMilliseconds)">
                    <locker>
                      <shared-file-locker lockAcquireSleepInterval="\(options.lockAcquireSleepInterval.wholeMilliseconds)"/>
                    </locker>
                  </kahaDB>
                </persistenceAdapter>
                <systemUsage>
                  <systemUsage>
                    <memoryUsage><memoryUsage limit="32 mb"/></memoryUsage>
                    <storeUsage><storeUsage limit="256 mb"/></storeUsage>
                    <tempUsage><tempUsage limit="64 mb"/></tempUsage>
                  </systemUsage>
                </systemUsage>
                <transportConnectors>
                  <transportConnector name="openwire" uri="\(broker.openWireURI)"/>
                </transportConnectors>
              </broker>
            \(options.jolokiaBeforeBroker ? "" : jolokia)
            </beans>

            """
    }

    /// A Jetty `Server` serving Jolokia's `AgentServlet` at `/api/jolokia` on 127.0.0.1:`port`.
    static func jolokiaServerBean(port: Int) -> String {
        """
          <bean id="jolokiaServer" class="org.eclipse.jetty.server.Server" init-method="start" destroy-method="stop">
            <constructor-arg>
              <bean class="java.net.InetSocketAddress">
                <constructor-arg value="127.0.0.1"/>
                <constructor-arg value="\(port)" type="int"/>
              </bean>
            </constructor-arg>
            <property name="handler">
              <bean class="org.eclipse.jetty.servlet.ServletContextHandler">
                <property name="contextPath" value="/api"/>
                <property name="servletHandler">
                  <bean class="org.eclipse.jetty.servlet.ServletHandler">
                    <property name="servlets">
                      <list>
                        <bean class="org.eclipse.jetty.servlet.ServletHolder">
                          <constructor-arg value="jolokia"/>
                          <constructor-arg value="org.jolokia.http.AgentServlet" type="java.lang.Class"/>
                        </bean>
                      </list>
                    </property>
                    <property name="servletMappings">
                      <list>
                        <bean class="org.eclipse.jetty.servlet.ServletMapping">
                          <property name="servletName" value="jolokia"/>
                          <property name="pathSpec" value="/jolokia/*"/>
                        </bean>
                      </list>
                    </property>
                  </bean>
                </property>
              </bean>
            </property>
          </bean>
        """
    }

    /// log4j 1.2 configuration: Debian's 5.17.2 logs through log4j 1.2 (slf4j-log4j12), not
    /// log4j2, and finds this file on `activemq.classpath` (the conf directory).
    static let log4jProperties = """
        # Written by amqtop's integration test harness; log4j 1.2 syntax for Debian's ActiveMQ.
        log4j.rootLogger=INFO, logfile
        log4j.logger.org.apache.activemq.spring=WARN
        log4j.logger.org.springframework=WARN
        log4j.logger.org.apache.xbean=WARN
        log4j.logger.org.eclipse.jetty=WARN
        log4j.appender.logfile=org.apache.log4j.RollingFileAppender
        log4j.appender.logfile.file=${activemq.data}/activemq.log
        log4j.appender.logfile.maxFileSize=1024KB
        log4j.appender.logfile.maxBackupIndex=2
        log4j.appender.logfile.append=true
        log4j.appender.logfile.layout=org.apache.log4j.PatternLayout
        log4j.appender.logfile.layout.ConversionPattern=%d | %-5p | %m | %c | %t%n

        """

    /// log4j2 configuration adapted from Debian's `/etc/activemq/instances-available/main`
    /// (file appender only, no audit log), for an upstream distribution that uses log4j2.
    static let log4j2Properties = """
        # Written by amqtop's integration test harness, adapted from Debian's instance template.
        rootLogger.level=INFO
        rootLogger.appenderRef.logfile.ref=RollingFile
        logger.spring.name=org.apache.activemq.spring
        logger.spring.level=WARN
        logger.springframework.name=org.springframework
        logger.springframework.level=WARN
        logger.xbean.name=org.apache.xbean
        logger.xbean.level=WARN
        logger.jetty.name=org.eclipse.jetty
        logger.jetty.level=WARN
        appender.logfile.type=RollingRandomAccessFile
        appender.logfile.name=RollingFile
        appender.logfile.fileName=${sys:activemq.data}/activemq.log
        appender.logfile.filePattern=${sys:activemq.data}/activemq.log.%i
        appender.logfile.append=true
        appender.logfile.layout.type=PatternLayout
        appender.logfile.layout.pattern=%d | %-5p | %m | %c | %t%n%throwable{full}
        appender.logfile.policies.type=Policies
        appender.logfile.policies.size.type=SizeBasedTriggeringPolicy
        appender.logfile.policies.size.size=1MB

        """
}
