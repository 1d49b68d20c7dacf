/// The reader of one group's lock file, and which other groups' files it may read in the same batch.
///
/// The poller reads the due lock files of one route together (split further by filesystem
/// device), so groups read by different readers (this host, a set of remote hosts) never
/// wait behind each other.
public struct LockRoute: Sendable {
    /// Groups with equal `batch` are read by the same reader and may share one call.
    public var batch: String
    /// Who reads the file.
    public var reader: any LockReading

    public init(batch: String, reader: any LockReading) {
        self.batch = batch
        self.reader = reader
    }
}
