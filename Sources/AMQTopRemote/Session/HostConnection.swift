import AMQTopCore
import Foundation

/// The one connection to one host, shared by every probe of every group on it.
///
/// Holds at most one `HostSession` at a time; when it ends, the reason becomes the host's
/// state and a new session is started by the next request after a backoff (1 s doubling to
/// 30 s; 30 s at once for key and authentication failures, which need the operator).
/// Requests during the backoff fail at once with the state, so a dead host costs nothing.
public final class HostConnection: @unchecked Sendable {
    /// One host's state for the hosts panel and `status --json`.
    public struct Status: Sendable, Equatable {
        public var name: String
        public var destination: String
        public var state: HostState
        public var roundTripMillis: Int64?
    }

    public let host: HostConfig
    /// The ssh command line of this host's session (also used for one-off stop commands).
    public let commandLine: SSHCommandLine
    // Guarded by `lock`; @unchecked because the lock, not the type system, makes this safe.
    private let lock = NSLock()
    private var session: HostSession?
    private var state: HostState = .connecting
    private var roundTripMillis: Int64?
    private var failures = 0
    private var retryAtNanos: UInt64 = 0
    private var closed = false

    public static let maxBackoffMillis: Int64 = 30_000

    public init(host: HostConfig, commandLine: SSHCommandLine) {
        self.host = host
        self.commandLine = commandLine
    }

    /// The current state, error and the last request's round trip.
    public var status: Status {
        lock.withLock { Status(name: host.name, destination: host.ssh, state: state, roundTripMillis: roundTripMillis) }
    }

    /// Runs `script` on the host within `timeoutMillis`.
    public func run(_ script: String, timeoutMillis: Int64) async -> Result<RemoteReply, RemoteFailure> {
        guard let session = currentSession() else {
            return .failure(RemoteFailure(host: host.name, state: lock.withLock { state }))
        }
        let result = await session.run(script, timeoutMillis: timeoutMillis)
        if case .success(let reply) = result { lock.withLock { roundTripMillis = reply.roundTripMillis } }
        return result
    }

    /// Opens the connection (if not open) and waits for the shell's first answer or the failure.
    @discardableResult
    public func connect(timeoutMillis: Int64) async -> HostState {
        _ = await run(":", timeoutMillis: timeoutMillis)
        return lock.withLock { state }
    }

    /// Ends the session for good: the remote shell gets EOF, ssh is reaped (bounded wait).
    public func close() async {
        let current: HostSession? = lock.withLock {
            closed = true
            state = .closed
            defer { session = nil }
            return session
        }
        guard let current else { return }
        current.close()
        await current.waitUntilExited(timeoutMillis: 2000)
    }

    private func currentSession() -> HostSession? {
        let (existing, shouldStart): (HostSession?, Bool) = lock.withLock {
            if let session { return (session, false) }
            guard !closed, DispatchTime.now().uptimeNanoseconds >= retryAtNanos else { return (nil, false) }
            return (nil, true)
        }
        if let existing { return existing }
        guard shouldStart else { return nil }
        return startSession()
    }

    private func startSession() -> HostSession? {
        let box = SessionBox()
        let session = HostSession(
            host: host.name, commandLine: commandLine,
            onFirstReply: { [weak self] in
                guard let self else { return }
                self.lock.withLock {
                    if self.session === box.session { self.state = .connected; self.failures = 0 }
                }
            },
            onEnd: { [weak self] reason in self?.ended(box.session, reason: reason) })
        box.session = session
        let raced: HostSession? = lock.withLock {
            if let existing = self.session { return existing }
            self.session = session
            if state != .connected { state = .connecting }
            return nil
        }
        if let raced { return raced }
        _ = session.start()
        return session
    }

    private func ended(_ ended: HostSession?, reason: HostState) {
        lock.withLock {
            guard let ended, session === ended else { return }
            session = nil
            guard !closed else { return }
            state = reason
            failures += 1
            let backoff = reason.needsOperator
                ? Self.maxBackoffMillis : min(Self.maxBackoffMillis, 1000 << min(failures - 1, 5))
            retryAtNanos = DispatchTime.now().uptimeNanoseconds + UInt64(backoff) * 1_000_000
        }
    }
}

/// Lets a session's callbacks name their own session before it exists.
private final class SessionBox: @unchecked Sendable {
    // Written once before the session starts, read afterwards.
    weak var session: HostSession?
}
