import AMQTopCore
import NIOCore
import NIOPosix

/// TCP-connects to a broker's transport port: only the master listens on it.
///
/// The connection is closed as soon as it is established; nothing is sent.
public struct PortProbe: Sendable {
    private let eventLoopGroup: any EventLoopGroup
    private let timeoutMillis: Int64

    public init(eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, timeoutMillis: Int64) {
        self.eventLoopGroup = eventLoopGroup
        self.timeoutMillis = timeoutMillis
    }

    /// One connect attempt to `target`, within the deadline.
    public func probe(_ target: HostPort) async -> PortObservation {
        let started = EpochClock.monotonicMillis()
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
        return PortObservation(atMillis: EpochClock.nowMillis(), state: state, latencyMillis: EpochClock.monotonicMillis() - started)
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
