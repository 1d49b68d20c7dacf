import AMQTopRuntime
import AMQTopScreen
import AMQTopTerminal

/// A terminal that keeps the frames it is shown and sends the keys a test types.
final class FakeTerminal: DashboardTerminal {
    let events: AsyncStream<TerminalEvent>
    private let continuation: AsyncStream<TerminalEvent>.Continuation
    let width: Int
    let height: Int
    let glyphs: Glyphs = .unicode
    /// Every frame shown, in order.
    let frames = Recorder<Buffer>()
    /// How many times Ctrl-L's repaint was asked for.
    let repaints = Recorder<Void>()

    init(width: Int = 100, height: Int = 30) {
        self.width = width
        self.height = height
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    func show(_ frame: Buffer) { frames.append(frame) }
    func repaintAll() { repaints.append(()) }

    /// Sends terminal events as if they happened, in order.
    func send(_ sent: TerminalEvent...) { for event in sent { continuation.yield(event) } }

    /// Types `text` one character at a time.
    func type(_ text: String) { for character in text { continuation.yield(.key(.character(character))) } }
}
