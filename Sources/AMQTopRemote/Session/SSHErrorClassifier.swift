/// Reads ssh's standard error (and exit status) into a `HostState`.
///
/// OpenSSH's messages are stable across releases and are what an operator would search
/// for, so the state keeps ssh's own line next to amqtop's explanation.
public enum SSHErrorClassifier {
    /// The state for a session that ended (or failed to start) with `stderr` and `exitStatus`.
    public static func classify(stderr: String, exitStatus: Int32?) -> HostState {
        let lines = stderr.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("@@@") && !$0.hasPrefix("Warning: Permanently added") }
        let text = lines.joined(separator: "\n")
        func line(containing needle: String) -> String? { lines.first { $0.localizedCaseInsensitiveContains(needle) } }

        if text.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") || text.contains("Host key for") && text.contains("has changed") {
            let which = line(containing: "Offending") ?? line(containing: "Host key for") ?? "host key changed"
            return .hostKeyChanged("host key changed, refused (\(which)); if the host was really re-keyed, update known_hosts yourself")
        }
        if let found = line(containing: "No ") .flatMap({ $0.contains("host key is known") ? $0 : nil })
            ?? line(containing: "Host key verification failed") {
            return .hostKeyUnknown("host key not known, refused (\(found)); add it to known_hosts after checking its fingerprint")
        }
        if let found = line(containing: "Permission denied") ?? line(containing: "Too many authentication failures") {
            return .authFailed("authentication refused: \(found)")
        }
        for needle in ["Connection timed out", "Operation timed out", "not responding", "Connection timed out during banner exchange"] {
            if let found = line(containing: needle) { return .timedOut(found) }
        }
        for needle in [
            "Connection refused", "No route to host", "Network is unreachable", "Could not resolve hostname",
            "Name or service not known", "Connection closed by", "Connection reset", "kex_exchange_identification",
        ] {
            if let found = line(containing: needle) { return .unreachable(found) }
        }
        if let last = lines.last { return .failed(last) }
        return .failed(exitStatus.map { "ssh exited with status \($0)" } ?? "ssh ended")
    }
}
