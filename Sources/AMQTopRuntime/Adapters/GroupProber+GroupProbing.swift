import AMQTopProbes

/// The real prober as the drill's way to look at a group.
extension GroupProber: GroupProbing {}
