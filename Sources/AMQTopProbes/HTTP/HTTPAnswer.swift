import AMQTopCore
import Foundation
import NIOCore

/// What one HTTP exchange brought back: its status, where a redirect pointed, the body.
///
/// Only a 200's body is collected (up to the cap); any other status ends the exchange at its
/// head, which is all amqtop reports of it.
public struct HTTPAnswer: Sendable {
    public var status: Int
    /// The `Location` header of a redirect, as the server wrote it.
    public var location: String?
    public var body: ByteBuffer

    /// The body of a Jolokia answer to `requestURL` (the configured URL), or the error its status means.
    ///
    /// Redirects are reported, never followed (following one would resend the password):
    /// where it pointed, minus any secrets (see `RedirectReport`).
    public func jolokiaBody(requestURL: String) -> Result<Data, EndpointError> {
        jolokiaBuffer(requestURL: requestURL).map { Data($0.readableBytesView) }
    }

    /// The same body as received, uncopied: what a poll's parse reads in place.
    public func jolokiaBuffer(requestURL: String) -> Result<ByteBuffer, EndpointError> {
        switch status {
        case 200: return .success(body)
        case 401, 403: return .failure(.auth(status: status))
        case let code where RedirectReport.statuses.contains(code):
            return .failure(RedirectReport.error(status: code, location: location, requestURL: requestURL))
        default: return .failure(.httpStatus(status))
        }
    }
}
