/// The directories an ActiveMQ instance's `${activemq.*}` properties name.
///
/// By default they follow the distribution's instance layout: the XML sits in the conf
/// directory, the base is its parent, data is `base/data`, and home is the base (a single
/// unpacked distribution). Flags override each one.
public struct InstanceLayout: Equatable, Sendable {
    public var base: String
    public var conf: String
    public var data: String
    public var home: String

    public init(base: String, conf: String, data: String, home: String) {
        self.base = base
        self.conf = conf
        self.data = data
        self.home = home
    }

    /// The layout for the XML at `xmlPath` (absolute), with any of the four given explicitly.
    public init(xmlPath: String, base: String? = nil, conf: String? = nil, data: String? = nil, home: String? = nil) {
        let confDirectory = conf ?? PathText.parent(of: xmlPath)
        let baseDirectory = base ?? PathText.parent(of: confDirectory)
        self.init(
            base: baseDirectory, conf: confDirectory,
            data: data ?? PathText.join(baseDirectory, "data"), home: home ?? baseDirectory)
    }

    /// The values as ActiveMQ's start script passes them (`-Dactivemq.base=...`).
    public var properties: [String: String] {
        ["activemq.base": base, "activemq.conf": conf, "activemq.data": data, "activemq.home": home]
    }
}
