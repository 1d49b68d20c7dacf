import AMQTopCore
import NIOCore
import NIOPosix

/// TCP-connects to a broker's transport port: only the master listens on it.
///
/// The connection is closed as soon as it is established; nothing is sent. The local
/// `PortChecking`: connects from this host.
public struct PortProbe: PortChecking {
    private let eventLoopGroup: any EventLoopGroup
    private let timeoutMillis: Int64
    /// Stamps each observation's time (latency is measured on the monotonic clock).
    private let clock: any AppClock

    public init(
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, timeoutMillis: Int64,
        clock: any AppClock = SystemClock()
    ) {
        self.eventLoopGroup = eventLoopGroup
        self.timeoutMillis = timeoutMillis
        self.clock = clock
    }

    public func check(_ broker: BrokerConfig) async -> PortObservation? {
        guard let target = broker.openwire else { return nil }
        return await probe(target)
    }

    /// One connect attempt to `target`, within the deadline.
    public func probe(_ target: HostPort) async -> PortObservation {
        let started = Monotonic.millis()
        let timeout = timeoutMillis
        let group = eventLoopGroup
        let state = await Deadline.run(millis: timeout + 100, onTimeout: { PortState.timeout }) {
            do {
                let channel = try await ClientBootstrap(group: group)
                    .connectTimeout(.milliseconds(timeout))
                    .connect(host: target.host, port: target.port)
                    .get()
                try? await channel.close()
                return PortState.open
            } catch {
                return Self.state(for: TransportErrorClassifier.classify(error, timeoutMillis: timeout))
            }
        }
        return PortObservation(atMillis: clock.nowMillis(), state: state, latencyMillis: Monotonic.millis() - started)
    }

    /// The port state for a classified connect failure.
    static func state(for error: EndpointError) -> PortState {
        switch error {
        case .refused: .refused
        case .timeout: .timeout
        default: .error(error.summary)
        }
    }
}
