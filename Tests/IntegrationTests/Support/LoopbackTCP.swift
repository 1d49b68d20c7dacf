#if canImport(Glibc)
import Glibc
#endif

/// A TCP connect to 127.0.0.1, the harness's independent "who is master" signal.
///
/// Only the master opens its transport connectors, so an accepted connection on a
/// broker's OpenWire port means that broker is master. On loopback a connect to a
/// closed port is refused at once, so a blocking connect needs no timeout.
enum LoopbackTCP {
    /// True when something accepts a TCP connection on 127.0.0.1:`port`.
    static func isAccepting(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = address(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }

    /// The IPv4 socket address 127.0.0.1:`port`.
    static func address(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        return address
    }
}
