import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where amqtop keeps state that outlives a run (history, audit log) when the config does not say.
///
/// The XDG base directory spec puts such state under `$XDG_STATE_HOME`, defaulting to
/// `~/.local/state`; amqtop uses its own folder inside.
public enum StateDirectory {
    /// `$XDG_STATE_HOME/amqtop`, or `~/.local/state/amqtop` when unset or empty.
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let stateHome = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) + "/.local/state"
        return stateHome + "/amqtop"
    }

    /// Creates `path` and its missing parents (0700, as `mkdir -p`); nil when it exists as a
    /// directory afterwards, else why not in plain words ("cannot create /a/b: Not a directory").
    ///
    /// With `mkdir(2)` rather than `FileManager`, whose error on Linux is an
    /// `NSCocoaErrorDomain` code without the system's reason.
    public static func create(_ path: String) -> String? {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += "/" + component
            if mkdir(prefix, 0o700) == 0 { continue }
            let code = errno
            var info = stat()
            if code == EEXIST, stat(prefix, &info) == 0 {
                if (info.st_mode & S_IFMT) == S_IFDIR { continue }
                return "cannot create \(path): \(prefix) is not a directory (\(String(cString: strerror(ENOTDIR))))"
            }
            return "cannot create \(path): \(prefix): \(String(cString: strerror(code)))"
        }
        return nil
    }
}
