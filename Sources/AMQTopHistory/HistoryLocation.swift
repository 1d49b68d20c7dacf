import AMQTopCore
import Foundation

/// Where the failover history database lives when the configuration does not say.
///
/// The XDG base directory spec puts state that should survive restarts but is not
/// configuration ("history") under `$XDG_STATE_HOME`, defaulting to `~/.local/state`.
public enum HistoryLocation {
    /// The file name inside the state directory.
    public static let fileName = "history.sqlite"

    /// `$XDG_STATE_HOME/amqtop/history.sqlite`, or `~/.local/state/amqtop/history.sqlite` when unset or empty.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        StateDirectory.path(environment: environment) + "/" + fileName
    }

    /// The configured path when there is one (`history:`), else the default.
    public static func resolve(configured: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let configured, !configured.isEmpty { return configured }
        return defaultPath(environment: environment)
    }
}
