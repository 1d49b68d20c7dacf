import CNCursesW
import CSysShim
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Makes each frame reach the terminal in one `write`: curses' output for one `doupdate`
/// is collected in an anonymous in-memory file, then written to the terminal at once.
///
/// ncurses flushes after every cursor movement, so one frame of a few changed cells left
/// as eight or more writes (seen with strace on ncurses 6.4). Over SSH each write can travel
/// as its own encrypted packet with its own acknowledgement: an idle group view came to five
/// packets a second for one frame a second. During `doupdate` curses only writes to fd 1
/// (terminal modes were set before, with the terminal in place), and nothing else in the
/// dashboard writes to stdout while curses runs, so fd 1 is pointed at the spool for the
/// update and back at the terminal after it.
final class FrameSpool {
    private let spool: Int32
    private let terminal: Int32
    private var buffer: [UInt8] = []

    /// A spool beside stdout, or nil when no in-memory file or spare descriptor can be had.
    init?() {
        let spool = amqtop_memfd("amqtop-frame")
        guard spool >= 0 else { return nil }
        let terminal = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)
        guard terminal >= 0 else {
            Glibc.close(spool)
            return nil
        }
        self.spool = spool
        self.terminal = terminal
    }

    /// `doupdate()` into the spool, then its bytes to the terminal in one write (repeated
    /// only for what a short write left).
    func update() {
        guard dup2(spool, STDOUT_FILENO) >= 0 else {
            doupdate()
            return
        }
        doupdate()
        // Back to the terminal before anything else can run into fd 1 (endwin must reach it).
        // dup2 fails only with EINTR or EBUSY (a race with open), both worth another try.
        var attempts = 0
        while dup2(terminal, STDOUT_FILENO) < 0, errno == EINTR || errno == EBUSY, attempts < 100 { attempts += 1 }
        let size = Int(lseek(spool, 0, SEEK_CUR))
        guard size > 0 else { return }
        if buffer.count < size { buffer = [UInt8](repeating: 0, count: size) }
        let read = buffer.withUnsafeMutableBytes { pread(spool, $0.baseAddress, size, 0) }
        ftruncate(spool, 0)
        lseek(spool, 0, SEEK_SET)
        guard read > 0 else { return }
        buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < read {
                let wrote = write(STDOUT_FILENO, bytes.baseAddress! + offset, read - offset)
                if wrote > 0 {
                    offset += wrote
                } else if wrote < 0 && errno == EINTR {
                    continue
                } else {
                    // The terminal went away (EIO): the key loop notices the hangup on stdin.
                    return
                }
            }
        }
    }

    /// Closes the spool and the spare terminal descriptor; fd 1 stays the terminal.
    func close() {
        Glibc.close(spool)
        Glibc.close(terminal)
    }
}
