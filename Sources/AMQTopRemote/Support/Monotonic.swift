import Foundation

/// Monotonic milliseconds for latencies (the wall clock may jump between two readings).
enum Monotonic {
    static func millis() -> Int64 { Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000) }
}
