/// Why the real-ActiveMQ harness could not do what a test asked.
///
/// Every case renders as a sentence a reader of a failed CI log can act on, because these
/// errors end up verbatim in Swift Testing's failure output.
enum HarnessError: Error, CustomStringConvertible {
    /// ActiveMQ, Java or one of the Jolokia/Jetty jars is missing from this machine.
    case notInstalled(String)
    /// A file or directory of the group could not be created.
    case layout(String)
    /// A process could not be launched.
    case launch(String)
    /// A condition polled with a deadline never held.
    case deadlineExceeded(String)
    /// Every broker of a group exited while a test was waiting for a master.
    case brokersExited(String)
    /// The test asked about a broker the harness does not know, or one that is not running.
    case unknownBroker(String)

    var description: String {
        switch self {
        case .notInstalled(let message): "not installed: \(message)"
        case .layout(let message): "cannot lay out broker files: \(message)"
        case .launch(let message): "cannot launch: \(message)"
        case .deadlineExceeded(let message): "deadline exceeded waiting for \(message)"
        case .brokersExited(let message): "every broker exited: \(message)"
        case .unknownBroker(let message): "unknown or stopped broker: \(message)"
        }
    }
}
