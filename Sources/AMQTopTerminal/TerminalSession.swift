import AMQTopCore
import AMQTopScreen
import CNCursesW
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The only code that calls curses, all of it on one dedicated thread.
///
/// The app posts whole frames; the thread diffs each against the last one it drew and
/// writes only the changed cells, then reads keys with a short timeout so a new frame
/// never waits long. Keys, resizes and signals come back through `events`. Probes and the
/// reducer never run here, so a hanging probe cannot stall the screen or the keys.
public final class TerminalSession: Sendable {
    /// What curses found when it started.
    public struct Info: Equatable, Sendable {
        public var width: Int
        public var height: Int
        /// Colours the terminal has (0: none).
        public var colors: Int
        /// UTF-8 box drawing, or ASCII under a non-UTF-8 locale.
        public var glyphs: Glyphs
    }

    public let info: Info
    public let events: AsyncStream<TerminalEvent>
    private let mailbox: FrameMailbox
    private let finished: DispatchSemaphore
    private let signalTrap: SignalTrap

    /// How long one key read waits: the most a new frame waits to be drawn.
    static let keyTimeoutMillis: Int32 = 20

    /// Starts curses on its own thread; fails with a message when there is no usable terminal.
    public static func start(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TerminalSession {
        if let problem = TerminalCheck.problemHere(environment: environment) { throw TerminalError(message: problem) }
        return try TerminalSession()
    }

    private init() throws {
        let mailbox = FrameMailbox()
        let (events, continuation) = AsyncStream<TerminalEvent>.makeStream(bufferingPolicy: .unbounded)
        let started = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let infoBox = InfoBox()
        let thread = Thread {
            CursesLoop.run(mailbox: mailbox, continuation: continuation, infoBox: infoBox, started: started)
            continuation.finish()
            finished.signal()
        }
        thread.name = "amqtop-curses"
        thread.start()
        started.wait()
        guard let info = infoBox.value else {
            finished.wait()
            throw TerminalError(message: "amqtop: could not start the terminal (TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "")). Use `amqtop status`.")
        }
        self.info = info
        self.events = events
        self.mailbox = mailbox
        self.finished = finished
        // Restores the terminal on SIGINT, SIGTERM and SIGHUP (an SSH drop), even if the app is busy.
        self.signalTrap = SignalTrap([SIGINT, SIGTERM, SIGHUP]) { number in
            mailbox.requestStop()
            continuation.yield(.signal(number))
        }
    }

    /// Sets the theme used from the next frame on.
    public func use(theme: Theme) { mailbox.post(theme: theme) }

    /// Shows a frame (replacing any frame not drawn yet).
    public func show(_ frame: Buffer) { mailbox.post(frame: frame) }

    /// Clears the terminal and redraws the whole next frame (Ctrl-L).
    public func repaintAll() { mailbox.requestRepaint() }

    /// Restores the terminal (endwin) and waits for the curses thread to end.
    public func stop() {
        mailbox.requestStop()
        finished.wait()
        finished.signal()
        signalTrap.cancel()
    }
}

/// Carries the start-up result from the curses thread (written before `started` is signalled).
final class InfoBox: @unchecked Sendable {
    var value: TerminalSession.Info?
}

/// A terminal that cannot be used, with the message to print.
public struct TerminalError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
