import Foundation

/// Reads brokers' `activemq.xml` files (and the `jetty.xml`/`jetty-spring.properties` beside
/// them) from this host: the I/O half of `amqtop init`.
///
/// A named file is checked before it is opened: only a regular file of sane size is read,
/// so a FIFO, a device or a directory gets a message instead of a hang.
public struct BrokerFileLoader: Sendable {
    /// Larger than any real broker configuration by far.
    public static let maximumBytes = 8 << 20

    /// `--activemq-base` and friends: override the instance layout of every file.
    public var base: String?
    public var conf: String?
    public var data: String?
    public var home: String?
    /// Relative arguments are taken against this directory.
    public var currentDirectory: String

    public init(base: String? = nil, conf: String? = nil, data: String? = nil, home: String? = nil,
                currentDirectory: String = FileManager.default.currentDirectoryPath) {
        self.base = base
        self.conf = conf
        self.data = data
        self.home = home
        self.currentDirectory = currentDirectory
    }

    /// Every broker in the files, in argument order; throws ``BrokerFileError`` at the first bad file.
    public func load(_ arguments: [String]) throws -> [BrokerDefinition] {
        try arguments.flatMap { try load(argument: $0) }
    }

    /// The brokers of one `FILE` argument on this host (`HOST:PATH` is read by the caller, see ``load(argument:host:bytes:sidecars:)``).
    public func load(argument: String) throws -> [BrokerDefinition] {
        if let host = Self.remoteHost(argument) {
            throw BrokerFileError(file: argument, message: "reading files on \(host) (HOST:PATH) needs its SSH session: run amqtop init with it")
        }
        let path = PathText.join(currentDirectory, argument)
        let bytes = try Self.readRegularFile(path)
        let directory = PathText.parent(of: path)
        var sidecars: [String: Data] = [:]
        for name in Self.sidecarNames {
            if let data = try Self.optionalFile(PathText.join(directory, name)) { sidecars[name] = data }
        }
        return try load(argument: argument, path: path, host: nil, bytes: bytes, sidecars: sidecars)
    }

    /// The files read beside an `activemq.xml`, when there: the web console's port.
    public static let sidecarNames = ["jetty.xml", "jetty-spring.properties"]

    /// The brokers of `bytes`, the file `argument` names at `path` (on `host`, nil for here),
    /// with the sidecar files found beside it (by name, see ``sidecarNames``).
    public func load(argument: String, path: String, host: String?, bytes: Data, sidecars: [String: Data]) throws -> [BrokerDefinition] {
        let root = try XMLTreeParser.parse(bytes, fileName: argument)
        let directory = PathText.parent(of: path)
        let jettyXML = try sidecars["jetty.xml"].map { try XMLTreeParser.parse($0, fileName: PathText.join(directory, "jetty.xml")) }
        let jettyProperties = sidecars["jetty-spring.properties"].map { WebConsoleEndpoint.properties(String(decoding: $0, as: UTF8.self)) }
        let layout = InstanceLayout(xmlPath: path, base: base, conf: conf, data: self.data, home: home)
        var definitions = try BrokerDefinitionReader(file: argument, layout: layout).read(root, jettyXML: jettyXML, jettyProperties: jettyProperties)
        for index in definitions.indices { definitions[index].host = host }
        return definitions
    }

    /// The host of a `HOST:PATH` argument: a colon before the first slash, as scp reads it.
    public static func remoteHost(_ argument: String) -> String? {
        guard let colon = argument.firstIndex(of: ":") else { return nil }
        let host = argument[..<colon]
        guard !host.isEmpty, !host.contains("/") else { return nil }
        return String(host)
    }

    /// A sidecar file's bytes, nil when there is none; an unreadable or odd one is an error.
    static func optionalFile(_ path: String) throws -> Data? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return try readRegularFile(path)
    }

    /// The bytes of a regular file of at most ``maximumBytes``, or an error naming what it is instead.
    public static func readRegularFile(_ path: String) throws -> Data {
        var info = stat()
        guard stat(path, &info) == 0 else { throw BrokerFileError(file: path, message: "cannot read: \(String(cString: strerror(errno)))") }
        try checkRegular(info, path: path)
        // O_NONBLOCK: if the path was swapped for a FIFO since the check, open must not wait for a writer.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw BrokerFileError(file: path, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard fstat(descriptor, &info) == 0 else { throw BrokerFileError(file: path, message: "cannot stat: \(String(cString: strerror(errno)))") }
        try checkRegular(info, path: path)
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw BrokerFileError(file: path, message: "cannot read: \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
            guard data.count <= maximumBytes else { throw BrokerFileError(file: path, message: "larger than \(maximumBytes >> 20) MiB: not a broker configuration") }
        }
        return data
    }

    private static func checkRegular(_ info: stat, path: String) throws {
        let kind: String
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            guard info.st_size <= off_t(maximumBytes) else {
                throw BrokerFileError(file: path, message: "larger than \(maximumBytes >> 20) MiB (\(info.st_size) bytes): not a broker configuration")
            }
            return
        case S_IFDIR: kind = "a directory"
        case S_IFIFO: kind = "a FIFO"
        case S_IFSOCK: kind = "a socket"
        case S_IFCHR, S_IFBLK: kind = "a device"
        default: kind = "a special file"
        }
        throw BrokerFileError(file: path, message: "is \(kind), not an activemq.xml file")
    }
}
