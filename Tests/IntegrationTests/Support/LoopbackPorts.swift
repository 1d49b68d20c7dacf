import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Hands out free 127.0.0.1 TCP ports, each at most once per test process.
///
/// Ports come from below the kernel's ephemeral range on purpose: a slave binds its
/// OpenWire port only when it becomes master, possibly long after the port was chosen,
/// and an ephemeral port could meanwhile have become the local end of some outgoing
/// connection (the harness's own TCP probes, for one).
final class LoopbackPorts: @unchecked Sendable {
    /// The process-wide allocator, so two groups never share a port.
    static let shared = LoopbackPorts()

    private let lock = NSLock()
    private var handedOut: Set<Int> = []

    private init() {}

    /// A port nothing is bound to now and that this process has not handed out before.
    func next() throws -> Int {
        let upperBound = Self.ephemeralRangeStart() - 1
        let lowerBound = 20_000
        for _ in 0..<1_000 {
            let port = Int.random(in: lowerBound...upperBound)
            let isNew = lock.withLock { handedOut.insert(port).inserted }
            if isNew && Self.canBind(port) {
                return port
            }
        }
        throw HarnessError.layout("no free loopback port found in \(lowerBound)...\(upperBound)")
    }

    /// First port of `/proc/sys/net/ipv4/ip_local_port_range`, or Linux's default.
    private static func ephemeralRangeStart() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8),
            let first = text.split(whereSeparator: \.isWhitespace).first,
            let start = Int(first), start > 21_000
        else {
            return 32_768
        }
        return start
    }

    /// Whether a plain bind (no SO_REUSEADDR, so TIME_WAIT counts as taken) succeeds.
    private static func canBind(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = LoopbackTCP.address(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }
}
