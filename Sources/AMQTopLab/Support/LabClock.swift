import Foundation

/// Wall-clock milliseconds, as Java's `System.currentTimeMillis()`.
enum LabClock {
    /// Milliseconds since the epoch now.
    static func nowMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
