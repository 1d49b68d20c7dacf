import Foundation

/// Monotonic milliseconds for this target's deadlines and latencies (AMQTopProbes' own helper is internal).
enum Uptime {
    static func millis() -> Int64 { Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000) }
}
