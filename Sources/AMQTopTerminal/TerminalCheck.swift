#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether the dashboard can run here at all, checked before curses starts.
public enum TerminalCheck {
    /// Why a full-screen dashboard cannot run (no terminal, `TERM=dumb`), or nil when it can.
    public static func problem(environment: [String: String], stdinIsTTY: Bool, stdoutIsTTY: Bool) -> String? {
        let term = environment["TERM"] ?? ""
        if term.isEmpty || term == "dumb" || term == "unknown" {
            return "amqtop: TERM is \(term.isEmpty ? "not set" : "\"\(term)\""), which cannot draw a full-screen dashboard.\n"
                + "Set TERM (e.g. TERM=xterm-256color) or use `amqtop status` for a one-shot report."
        }
        if !stdinIsTTY || !stdoutIsTTY {
            return "amqtop: the dashboard needs a terminal (stdin and stdout must be a tty).\n"
                + "For scripts, cron and pipes use `amqtop status` (add --json for machine-readable output)."
        }
        return nil
    }

    /// The same check against this process's real file descriptors.
    public static func problemHere(environment: [String: String]) -> String? {
        problem(environment: environment, stdinIsTTY: isatty(0) == 1, stdoutIsTTY: isatty(1) == 1)
    }
}
