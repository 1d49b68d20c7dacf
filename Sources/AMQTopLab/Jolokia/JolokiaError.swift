/// A failure as Jolokia 1.7 reports it: the Java exception's class, its message, and the
/// status Jolokia maps that class to (carried in the body; the HTTP status stays 200).
public struct JolokiaError: Error, Sendable, Equatable {
    /// The Java exception class, e.g. `javax.management.InstanceNotFoundException`.
    public var errorType: String
    /// The exception's message, without the class prefix.
    public var message: String
    /// The `status` field of the error body.
    public var status: Int64
    /// Where a Java stack would show the exception thrown, for the `stacktrace` field.
    public var thrownAt: [String]

    /// Creates an error body description.
    public init(errorType: String, message: String, status: Int64, thrownAt: [String] = []) {
        self.errorType = errorType
        self.message = message
        self.status = status
        self.thrownAt = thrownAt
    }

    /// `error` as Jolokia writes it: "class : message".
    public var errorText: String { "\(errorType) : \(message)" }

    /// A Java-looking stack trace: Jolokia includes one in every error body by default.
    public var stacktrace: String {
        let frames = thrownAt + [
            "org.jolokia.backend.LocalRequestDispatcher.dispatchRequest(LocalRequestDispatcher.java:99)",
            "org.jolokia.backend.BackendManager.callRequestDispatcher(BackendManager.java:429)",
            "org.jolokia.backend.BackendManager.handleRequest(BackendManager.java:158)",
            "org.jolokia.http.HttpRequestHandler.executeRequest(HttpRequestHandler.java:197)",
        ]
        return "\(errorType): \(message)\n" + frames.map { "\tat \($0)\n" }.joined()
    }

    /// The slave's answer for `BrokerName`, `BrokerId` and whole-MBean reads.
    public static let brokerNotStarted = JolokiaError(
        errorType: "java.lang.IllegalStateException",
        message: "Broker is not yet started.",
        status: 500,
        thrownAt: [
            "org.apache.activemq.broker.jmx.BrokerView.safeGetBroker(BrokerView.java:620)",
            "org.apache.activemq.broker.jmx.BrokerView.getBrokerName(BrokerView.java:72)",
        ]
    )

    /// No MBean registered under `name` (Jolokia answers 404 in the body).
    public static func instanceNotFound(_ name: String) -> JolokiaError {
        JolokiaError(
            errorType: "javax.management.InstanceNotFoundException",
            message: name,
            status: 404,
            thrownAt: ["com.sun.jmx.interceptor.DefaultMBeanServerInterceptor.getMBean(DefaultMBeanServerInterceptor.java:1083)"]
        )
    }

    /// The MBean has no attribute `name`.
    public static func attributeNotFound(_ name: String) -> JolokiaError {
        JolokiaError(
            errorType: "javax.management.AttributeNotFoundException",
            message: "No such attribute: \(name)",
            status: 404,
            thrownAt: ["com.sun.jmx.mbeanserver.PerInterface.getAttribute(PerInterface.java:81)"]
        )
    }

    /// A request Jolokia rejects before touching JMX (status 400).
    public static func illegalArgument(_ message: String) -> JolokiaError {
        JolokiaError(errorType: "java.lang.IllegalArgumentException", message: message, status: 400)
    }

    /// An MBean name that `javax.management.ObjectName` refuses (status 400).
    public static func malformedObjectName(_ message: String) -> JolokiaError {
        JolokiaError(errorType: "javax.management.MalformedObjectNameException", message: message, status: 400)
    }
}
