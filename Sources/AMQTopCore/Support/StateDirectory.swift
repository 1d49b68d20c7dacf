import Foundation

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
}
