import Foundation
import NIOConcurrencyHelpers

/// Checks `Authorization: Basic` headers against the web config's bcrypt hashes.
///
/// bcrypt is slow on purpose (tens of milliseconds at cost 10), and Prometheus sends the
/// same credentials every scrape, so a success is remembered, as exporter-toolkit does: by a
/// salted SHA-256-crypt fingerprint of user and password (never the password itself), with a
/// salt made at start, so the cache holds nothing that a memory dump could replay elsewhere.
/// An unknown user costs one bcrypt as well, so timing does not tell which users exist.
public final class BasicAuthenticator: Sendable {
    private let users: [String: String]
    private let fingerprintSetting: String?
    private let remembered = NIOLockedValueBox<Set<String>>([])
    /// A well-formed hash of nothing anyone knows, checked for unknown users.
    private static let decoy = "$2y$10$" + String(repeating: ".", count: 53)

    public init(users: [String: String]) {
        self.users = users
        // 1000 rounds, the least SHA-256-crypt takes: the fingerprint only keeps the password itself
        // out of memory; bcrypt stays the check.
        fingerprintSetting = BcryptHash.randomSetting(prefix: "$5$", cost: 1000)
    }

    /// Whether any user is configured (no users: every request passes).
    public var isEnabled: Bool { !users.isEmpty }

    /// Whether the `Authorization` header's value names a configured user with the right password.
    public func allows(authorization: String?) -> Bool {
        guard isEnabled else { return true }
        guard let (user, password) = Self.credentials(authorization) else { return false }
        let fingerprint = fingerprintSetting.flatMap { BcryptHash.crypt("\(user)\u{1}\(password)", setting: $0) }
        if let fingerprint, remembered.withLockedValue({ $0.contains(fingerprint) }) { return true }
        guard let hash = users[user] else {
            _ = BcryptHash.verify(password, against: Self.decoy)
            return false
        }
        guard BcryptHash.verify(password, against: hash) else { return false }
        if let fingerprint {
            // Bounded: a handful of scrapers, each with one password.
            remembered.withLockedValue { if $0.count >= 64 { $0.removeAll() }; $0.insert(fingerprint) }
        }
        return true
    }

    /// Whether the header would pass without a bcrypt (remembered, or no users configured).
    public func allowsCheaply(authorization: String?) -> Bool {
        guard isEnabled else { return true }
        guard let (user, password) = Self.credentials(authorization),
              let fingerprint = fingerprintSetting.flatMap({ BcryptHash.crypt("\(user)\u{1}\(password)", setting: $0) })
        else { return false }
        return remembered.withLockedValue { $0.contains(fingerprint) }
    }

    /// User and password from `Basic BASE64(user:password)`; nil for anything else.
    static func credentials(_ header: String?) -> (String, String)? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}
