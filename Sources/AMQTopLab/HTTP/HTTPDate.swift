import Foundation

/// RFC 7231 dates for the `Date` response header.
enum HTTPDate {
    /// The current time as `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func now() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: Date())
    }
}
