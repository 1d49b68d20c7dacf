import Foundation

/// What one request on a host's shell produced: its output (stdout and stderr together) and exit status.
public struct RemoteReply: Sendable, Equatable {
    public var status: Int32
    public var output: Data
    /// From writing the request to reading its end marker.
    public var roundTripMillis: Int64

    public init(status: Int32, output: Data, roundTripMillis: Int64) {
        self.status = status
        self.output = output
        self.roundTripMillis = roundTripMillis
    }

    /// The output as text (lossy for invalid UTF-8: remote files are data, never trusted).
    public var text: String { String(decoding: output, as: UTF8.self) }
}

/// Why a request got no reply: the host's state at that moment (never down, only not known).
public struct RemoteFailure: Error, Sendable, Equatable {
    public var host: String
    public var state: HostState

    public init(host: String, state: HostState) {
        self.host = host
        self.state = state
    }

    /// "SSH to amq1: <reason>", the evidence shown for the host's brokers.
    public var message: String { "SSH to \(host): \(state.error ?? state.code)" }
}
