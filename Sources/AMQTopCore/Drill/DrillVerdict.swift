/// How a drill stands: still running, passed within the expected bound, or failed.
public enum DrillVerdict: Equatable, Sendable {
    /// Still waiting; not a failure until the expected worst case has clearly passed.
    case inProgress(elapsedMillis: Int64)
    /// A new master served this long after the stop, within the bound.
    case passed(tookMillis: Int64)
    /// A new master served, but later than the expected worst case.
    case slow(tookMillis: Int64)
    /// No new master well past the bound, or the stop itself failed.
    case failed(String)

    /// True once the drill will not change any more.
    public var isFinal: Bool {
        if case .inProgress = self { return false }
        return true
    }

    /// PASSED / SLOW / FAILED / IN PROGRESS.
    public var word: String {
        switch self {
        case .inProgress: "IN PROGRESS"
        case .passed: "PASSED"
        case .slow: "SLOW"
        case .failed: "FAILED"
        }
    }
}
