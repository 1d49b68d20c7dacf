import Foundation

/// Checks an HTTP `Authorization: Basic ...` header against one user and password.
enum BasicAuthorization {
    /// True when `header` carries exactly `username:password`.
    static func accepts(_ header: String?, username: String, password: String) -> Bool {
        guard let header else { return false }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8)
        else { return false }
        // Compare all bytes so the time taken does not tell how much of the secret matched.
        let expected = Array("\(username):\(password)".utf8)
        let given = Array(text.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The header value a client sends for `username` and `password`.
    static func header(username: String, password: String) -> String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }
}
