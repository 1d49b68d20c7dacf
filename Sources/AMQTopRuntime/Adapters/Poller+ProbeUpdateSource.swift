import AMQTopProbes

/// The poller as the loop's source of probe results (its methods already match).
extension Poller: ProbeUpdateSource {}
