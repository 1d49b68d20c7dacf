import Foundation

/// Finds the Jolokia URL of a broker's web console in the files that configure it.
///
/// Three places, in the order they are tried: a Jetty `Server` bean serving Jolokia's
/// `AgentServlet` inside `activemq.xml` itself; the distribution's `jetty.xml` (imported by
/// `activemq.xml`) with its `jettyPort` bean (5.x) or connector; and 6.3's
/// `jetty-spring.properties` (`jetty.http.host`, `jetty.http.port`). The distribution
/// serves Jolokia at `/api/jolokia`.
public enum WebConsoleEndpoint {
    /// The distribution's web console port and host when the files name neither.
    public static let defaultPort = "8161"
    public static let defaultHost = "127.0.0.1"

    /// The Jolokia URL of a Jetty `Server` bean in `root` whose servlets include an `AgentServlet`.
    public static func embeddedJolokia(in root: XMLElementNode, resolve: (String) -> String) -> String? {
        for server in ([root] + root.descendants) where server.name == "bean" && server.attributes["class"] == "org.eclipse.jetty.server.Server" {
            let inside = server.descendants
            guard inside.contains(where: { ($0.attributes["value"] ?? "").hasSuffix("AgentServlet") }) else { continue }
            // Server(InetSocketAddress(host, port)) or Server(port).
            var host = defaultHost
            var port: String?
            if let address = inside.first(where: { $0.name == "bean" && $0.attributes["class"] == "java.net.InetSocketAddress" }) {
                let arguments = address.children(named: "constructor-arg").compactMap { $0.attributes["value"] }
                if arguments.count == 2 { host = resolve(arguments[0]); port = resolve(arguments[1]) }
                if arguments.count == 1 { port = resolve(arguments[0]) }
            } else if let argument = server.child(named: "constructor-arg")?.attributes["value"] {
                port = resolve(argument)
            }
            guard let port, let number = Int(port), (1...65535).contains(number) else { continue }
            let context = inside.first { $0.name == "property" && $0.attributes["name"] == "contextPath" }?.attributes["value"] ?? ""
            var servletPath = inside.first { $0.name == "property" && $0.attributes["name"] == "pathSpec" }?.attributes["value"] ?? "/jolokia/*"
            if servletPath.hasSuffix("/*") { servletPath.removeLast(2) }
            let path = (context == "/" ? "" : context) + servletPath
            return url(host: host, port: number, path: path)
        }
        return nil
    }

    /// The Jolokia URL from the distribution's `jetty.xml` and/or `jetty-spring.properties`.
    ///
    /// `properties` (from `jetty-spring.properties`) also resolve `${...}` in `jetty.xml`.
    public static func distributionJolokia(jettyXML: XMLElementNode?, properties: [String: String], resolve: (String) -> String) -> String? {
        var host = properties["jetty.http.host"]
        var port = properties["jetty.http.port"]
        let local = PlaceholderResolver(properties: properties)
        func value(_ text: String) -> String { resolve(local.resolve(text).value) }
        if let jettyXML {
            let beans = ([jettyXML] + jettyXML.descendants).filter { $0.name == "bean" }
            let portBean = beans.first { $0.attributes["id"] == "jettyPort" }
                ?? beans.first { ($0.attributes["class"] ?? "").hasSuffix("ServerConnector") && $0.springProperty("port")?.attributes["value"].map { !$0.contains("#{") } == true }
            if let portBean {
                if let text = portBean.springProperty("port")?.attributes["value"] { port = value(text) }
                if let text = portBean.springProperty("host")?.attributes["value"] { host = value(text) }
            }
            if port == nil { port = defaultPort }
        }
        guard let port, let number = Int(port), (1...65535).contains(number) else { return nil }
        return url(host: host ?? defaultHost, port: number, path: "/api/jolokia")
    }

    /// `key=value` lines of a Java properties file (comments and blank lines skipped).
    public static func properties(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#"), !line.hasPrefix("!"),
                  let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            let key = line[..<separator].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            result[key] = value
        }
        return result
    }

    private static func url(host: String, port: Int, path: String) -> String {
        let client = ListenAddress.clientHost(host)
        let bracketed = client.contains(":") ? "[\(client)]" : client
        return "http://\(bracketed):\(port)\(path)"
    }
}
