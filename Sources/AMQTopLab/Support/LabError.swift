#if canImport(Glibc)
import Glibc
#endif

/// Failures of the lab that are not Jolokia answers.
public enum LabError: Error, CustomStringConvertible, Sendable {
    /// A system call failed with `errno`.
    case system(String, Int32)
    /// The lock file was used before it was locked.
    case notLocked(String)
    /// A setting or argument is unusable.
    case invalid(String)

    public var description: String {
        switch self {
        case .system(let what, let code): return "\(what): \(String(cString: strerror(code)))"
        case .notLocked(let path): return "\(path) is not locked by this broker"
        case .invalid(let message): return message
        }
    }
}
