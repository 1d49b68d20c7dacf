import AMQTopCore
import AMQTopScreen
import CNCursesW
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The curses thread's body: start, then draw frames and read keys until asked to stop.
enum CursesLoop {
    static func run(mailbox: FrameMailbox, continuation: AsyncStream<TerminalEvent>.Continuation, infoBox: InfoBox, started: DispatchSemaphore) {
        // The locale first: without it ncursesw treats every byte as a character.
        setlocale(LC_ALL, "")
        let codeset = amqtop_codeset().map { String(cString: $0) } ?? ""
        let utf8 = codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        // Esc alone must not wait the default second for a possible escape sequence.
        setenv("ESCDELAY", "25", 0)
        guard amqtop_newterm() != nil, let window = amqtop_stdscr() else {
            started.signal()
            return
        }
        cbreak()  // not raw: Ctrl-C still raises SIGINT, which restores the terminal
        noecho()
        nonl()
        keypad(window, true)
        amqtop_mouse_wheel_on()  // the wheel scrolls panels; see shim.h for what it costs
        curs_set(0)
        wtimeout(window, TerminalSession.keyTimeoutMillis)
        var colors = 0
        if has_colors() {
            start_color()
            use_default_colors()
            colors = Int(amqtop_colors())
        }
        infoBox.value = TerminalSession.Info(
            width: Int(getmaxx(window)), height: Int(getmaxy(window)), colors: colors, glyphs: utf8 ? .unicode : .ascii)
        started.signal()

        var writer = CellWriter(window: window, utf8: utf8, styles: CursesStyles(colors: colors, theme: Theme(name: "plain", source: "", styles: [:])))
        let spool = FrameSpool()
        writer.spool = spool
        defer { spool?.close() }
        var previous: Buffer?
        // Full repaints due after a resize: see `settleRepaintDelays`.
        var settleRepaints: [ContinuousClock.Instant] = []
        while true {
            let pending = mailbox.take()
            if pending.stop { break }
            if let due = settleRepaints.first, ContinuousClock.now >= due {
                settleRepaints.removeAll { $0 <= ContinuousClock.now }
                clearok(window, true)
                previous = nil
            }
            if let theme = pending.theme {
                writer.styles = CursesStyles(colors: colors, theme: theme)
                writer.styles.install()
                previous = nil
            }
            if pending.repaint {
                clearok(window, true)
                previous = nil
            }
            if let frame = pending.frame ?? (previous == nil ? writer.lastFrame : nil) {
                writer.draw(BufferDiff(from: previous, to: frame), frame: frame)
                previous = frame
            }
            var code: wint_t = 0
            let result = wget_wch(window, &code)
            if result == ERR {
                // ERR is also all a read of a closed terminal gives, at once and forever: when
                // the pty's master closes (an SSH session drops) without a SIGHUP reaching us
                // (the session leader ignores it and lives on, or we run in a session of our
                // own), this loop would spin a core at 100%. Leave instead.
                if terminalIsGone() {
                    continuation.yield(.hangup)
                    break
                }
                // No key within the timeout: a cheap moment to catch a resize curses missed
                // (a burst of SIGWINCH can leave it on a stale size, drawing wrapped lines forever).
                if resyncSize(window) {
                    previous = nil
                    settleRepaints = settleRepaintDelays.map { ContinuousClock.now + $0 }
                    continuation.yield(.resize(width: Int(getmaxx(window)), height: Int(getmaxy(window))))
                }
                continue
            }
            switch KeyDecoder.decode(code: UInt32(code), isFunctionKey: result == amqtop_key_code_yes()) {
            case .key(let key): continuation.yield(.key(key))
            case .resize:
                settleRepaints = settleRepaintDelays.map { ContinuousClock.now + $0 }
                continuation.yield(.resize(width: Int(getmaxx(window)), height: Int(getmaxy(window))))
            case .ignored: break
            }
        }
        amqtop_mouse_off()
        endwin()
    }

    /// When to redraw every cell after the last resize of a burst.
    ///
    /// A terminal (or tmux) may apply the new size to its own grid after the pty already
    /// reports it, reflowing what was drawn in between; no further SIGWINCH comes, and
    /// diffed frames would leave the wrapped remains forever. Two late full repaints, once
    /// the burst has settled, cost a few KiB per resize burst and mend that.
    static let settleRepaintDelays: [Duration] = [.milliseconds(300), .milliseconds(1000)]

    /// True when the terminal curses reads (stdin) has hung up or is no longer usable.
    ///
    /// A pty whose master closed reports POLLHUP; a live one never does, so this cannot end a
    /// dashboard that merely got no key. One `poll` with no wait per idle read: negligible.
    static func terminalIsGone() -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 0) > 0 else { return false }
        return descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// Brings curses to the terminal's real size when they differ; true when it did.
    static func resyncSize(_ window: UnsafeMutablePointer<WINDOW>) -> Bool {
        var rows: Int32 = 0
        var columns: Int32 = 0
        guard amqtop_tty_size(&rows, &columns) == 0, rows != getmaxy(window) || columns != getmaxx(window) else { return false }
        resizeterm(rows, columns)
        // What the terminal shows is unknown after a missed resize: redraw every cell.
        clearok(window, true)
        return true
    }
}

/// Writes diff runs through curses, cell by cell, with the theme's pairs and attributes.
struct CellWriter {
    let window: UnsafeMutablePointer<WINDOW>
    let utf8: Bool
    var styles: CursesStyles
    /// The last frame drawn, to redraw whole after a theme change or Ctrl-L.
    var lastFrame: Buffer?
    /// Makes each frame one write to the terminal; nil writes as curses does.
    var spool: FrameSpool?

    init(window: UnsafeMutablePointer<WINDOW>, utf8: Bool, styles: CursesStyles) {
        self.window = window
        self.utf8 = utf8
        self.styles = styles
    }

    mutating func draw(_ diff: BufferDiff, frame: Buffer) {
        if diff.isFullRepaint { werase(window) }
        for run in diff.runs {
            wmove(window, Int32(run.y), Int32(run.x))
            let attrs = styles.attributes(run.style)
            let pair = styles.pair(run.style.role)
            for cell in run.cells { put(cell.symbol, attrs: attrs, pair: pair) }
        }
        wnoutrefresh(window)
        if let spool { spool.update() } else { doupdate() }
        lastFrame = frame
    }

    private func put(_ symbol: String, attrs: attr_t, pair: Int16) {
        var chars: [wchar_t] = symbol.unicodeScalars.prefix(4).map { scalar in
            // Under a non-UTF-8 locale anything beyond ASCII would print as garbage.
            utf8 || scalar.isASCII ? wchar_t(bitPattern: scalar.value) : wchar_t(63)
        }
        if chars.isEmpty { chars = [32] }
        chars.append(0)
        var cell = cchar_t()
        _ = amqtop_setcchar(&cell, chars, attrs, pair)
        wadd_wch(window, &cell)
    }
}
