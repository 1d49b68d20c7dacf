import AMQTopCore

/// Reads lock files off the cooperative pool, each read bounded by a deadline.
public struct LockFileProbe: Sendable {
    private let reader: LockFileReader
    private let executor: BlockingExecutor
    private let timeoutMillis: Int64

    public init(reader: LockFileReader = LockFileReader(), executor: BlockingExecutor = BlockingExecutor(), timeoutMillis: Int64) {
        self.reader = reader
        self.executor = executor
        self.timeoutMillis = timeoutMillis
    }

    /// A snapshot of the file, or an `.error` snapshot when the filesystem did not answer in time.
    public func read(path: String) async -> LockFileSnapshot {
        let reader = reader
        let timeout = timeoutMillis
        return await executor.run(
            timeoutMillis: timeout,
            onTimeout: {
                LockFileSnapshot(
                    path: path, atMillis: EpochClock.nowMillis(),
                    state: .error("no answer within \(timeout) ms (hung filesystem?)"),
                    holder: .unknown("filesystem not answering"))
            },
            { reader.read(path: path) })
    }
}
