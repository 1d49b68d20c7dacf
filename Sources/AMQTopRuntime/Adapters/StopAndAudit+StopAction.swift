import AMQTopActions

/// The real stop-then-audit path as the loop's and the drill's stop action.
extension StopAndAudit: StopAction {}
