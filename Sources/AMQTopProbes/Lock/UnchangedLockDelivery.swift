/// Which lock reads a `Poller` hands on when they only repeat the last one it handed on.
///
/// Every read is made either way (the file is opened and read every lockPoll, and a change,
/// a new holder or a timeout goes out in the round that read it); this only decides whether
/// a read that saw nothing new reaches the stream.
public enum UnchangedLockDelivery: Sendable {
    /// Every read, changed or not: for callers that count reads through the stream.
    case everyRead
    /// An unchanged read only when a broker result of its group needs a later read to confirm
    /// it, and at least once a second (see `LockDeliveryGate`): what the dashboard and `serve`
    /// use, since each update costs them a reassessment and a pass through the history.
    case whenNeeded
}
