#if canImport(Glibc)
import Glibc
#endif

/// Finds free TCP ports on a loopback address by letting the kernel pick them.
enum FreePorts {
    /// `count` distinct ports free on `host` right now. All sockets stay bound until every
    /// port is picked, so the kernel cannot hand out the same one twice.
    static func allocate(_ count: Int, host: String = "127.0.0.1") throws -> [Int] {
        var descriptors: [Int32] = []
        defer { descriptors.forEach { close($0) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw LabError.system("socket", errno) }
            descriptors.append(descriptor)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
                throw LabError.invalid("not an IPv4 address: \(host)")
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else { throw LabError.system("bind \(host):0", errno) }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let named = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            guard named == 0 else { throw LabError.system("getsockname", errno) }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }
}
