import AMQTopScreen
import Foundation

/// What the app hands to the terminal thread: the latest frame, a theme, and requests.
///
/// Only the newest frame matters, so a frame that was not drawn yet is simply replaced:
/// a slow terminal (a bad SSH link) skips frames instead of queueing them.
final class FrameMailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var frame: Buffer?
    private var theme: Theme?
    private var repaint = false
    private var stop = false

    func post(frame: Buffer) { lock.withLock { self.frame = frame } }
    func post(theme: Theme) { lock.withLock { self.theme = theme } }
    func requestRepaint() { lock.withLock { repaint = true } }
    func requestStop() { lock.withLock { stop = true } }

    /// Takes everything pending, leaving the mailbox empty.
    func take() -> (frame: Buffer?, theme: Theme?, repaint: Bool, stop: Bool) {
        lock.withLock {
            defer { frame = nil; theme = nil; repaint = false }
            return (frame, theme, repaint, stop)
        }
    }
}
