import AMQTopCore
import Foundation
import NIOCore

/// Builds the bytes of one Jolokia POST: request line, headers, credentials and body.
///
/// The one request builder of every Jolokia probe (local and through an ssh forward): the
/// same headers, the same basic auth from `PasswordResolver`, the same `Host` (the
/// configured URL's authority, which is what the broker expects even when the bytes go
/// through a unix socket). The bytes are built once per broker and body and sent as they
/// are on every poll; they hold the password, so they never leave this type and the
/// connection that writes them, and no description of them exists.
public struct JolokiaHTTPRequest: Sendable {
    /// Where on the server the request goes: the URL's path (and query) and authority.
    public struct Target: Hashable, Sendable {
        /// The percent-encoded path and query, "/" when the URL has none.
        public var path: String
        /// The `Host` header: the URL's host (IPv6 in brackets) and its port when given.
        public var authority: String
    }

    /// The whole request as written to the socket.
    public let bytes: ByteBuffer

    private init(bytes: ByteBuffer) { self.bytes = bytes }

    /// The request posting `body` to `target` with `broker`'s credentials, or why it cannot be
    /// made (a password that cannot be read is reported before anything is sent).
    public static func make(
        _ body: Data, to target: Target, broker: BrokerConfig, environment: (String) -> String?
    ) -> Result<JolokiaHTTPRequest, EndpointError> {
        switch credentials(of: broker, environment: environment) {
        case .failure(let error): return .failure(error)
        case .success(let authorization): return .success(make(body, to: target, authorization: authorization))
        }
    }

    /// The `Authorization` header's value for `broker`, nil without a username.
    public static func credentials(of broker: BrokerConfig, environment: (String) -> String?) -> Result<String?, EndpointError> {
        guard let username = broker.username else { return .success(nil) }
        var password = Secret("")
        if let source = broker.password {
            switch PasswordResolver.resolve(source, environment: environment) {
            case .failure(let failure): return .failure(.credentials(failure.description))
            case .success(let secret): password = secret
            }
        }
        return .success("Basic " + Data("\(username):\(password.plainText)".utf8).base64EncodedString())
    }

    /// The request with an already resolved `Authorization` value.
    static func make(_ body: Data, to target: Target, authorization: String?) -> JolokiaHTTPRequest {
        var head = "POST \(target.path) HTTP/1.1\r\nHost: \(target.authority)\r\n"
        head += "Content-Type: application/json\r\nAccept: application/json\r\n"
        if let authorization { head += "Authorization: \(authorization)\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        var buffer = ByteBuffer()
        buffer.reserveCapacity(head.utf8.count + body.count)
        buffer.writeString(head)
        buffer.writeBytes(body)
        return JolokiaHTTPRequest(bytes: buffer)
    }
}
