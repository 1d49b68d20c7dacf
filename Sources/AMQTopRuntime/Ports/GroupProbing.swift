import AMQTopCore

/// Something that takes one complete look at a group (lock file and every broker), for the drill.
///
/// `GroupProber` is the real one.
public protocol GroupProbing: Sendable {
    /// The group's lock and brokers as they are now.
    func probeGroup(_ group: GroupConfig) async -> GroupObservation
}
