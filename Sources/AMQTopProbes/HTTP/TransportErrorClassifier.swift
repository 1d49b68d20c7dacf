import AMQTopCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Maps the errors of async-http-client and NIO onto `EndpointError`'s operator-facing cases.
///
/// The texts kept come from the transport (errno names, TLS reasons), never from the
/// request, so no credential can end up in them.
public enum TransportErrorClassifier {
    /// The classification of a failed request or connect; `timeoutMillis` is the deadline that applied.
    public static func classify(_ error: any Error, timeoutMillis: Int64) -> EndpointError {
        if let endpoint = error as? EndpointError { return endpoint }
        if let client = error as? HTTPClientError { return classify(client, timeoutMillis: timeoutMillis) }
        if let connection = error as? NIOConnectionError {
            if connection.connectionErrors.isEmpty, let dns = connection.dnsAError ?? connection.dnsAAAAError {
                return .dns("\(connection.host): \(dns)")
            }
            if let first = connection.connectionErrors.first { return classify(first.error, timeoutMillis: timeoutMillis) }
            return .connection("no address to connect to for \(connection.host)")
        }
        if let io = error as? IOError { return classify(errno: io.errnoCode) }
        // The response parser saw the connection end inside an answer: it was cut mid-answer
        // (a broker whose JVM exits while answering its own `exec stop` does this).
        if let parser = error as? HTTPParserError, parser == .invalidEOFState { return ConnectionBreak.closedMidAnswer.error }
        if let channel = error as? ChannelError {
            switch channel {
            case .connectTimeout: return .timeout(afterMillis: timeoutMillis)
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed:
                return ConnectionBreak.closedByPeer.error
            default: return .connection("\(channel)")
            }
        }
        if error is SocketAddressError { return .dns("\(error)") }
        if error is CancellationError { return .timeout(afterMillis: timeoutMillis) }
        // NIOSSL's error types are matched by name: importing NIOSSL only for `is` checks
        // would add a direct dependency for no other gain.
        let typeName = String(reflecting: type(of: error))
        if typeName.contains("SSL") || typeName.contains("TLS") || typeName.contains("Certificate") {
            return .tls(tlsDetail("\(error)"))
        }
        return .connection(String("\(error)".prefix(200)))
    }

    /// What a failed TLS handshake means, in words an operator can act on.
    ///
    /// NIOSSL describes a failure as a dump of BoringSSL's error queue (numeric codes and the
    /// source path of the library's build); the reason inside it is what matters. The common
    /// ones get a sentence; any other keeps its reason name, never the dump.
    static func tlsDetail(_ description: String) -> String {
        if description.contains("CERTIFICATE_VERIFY_FAILED") {
            return "certificate not trusted (self-signed, unknown CA or expired)"
        }
        if description.contains("failedToValidateHostname") {
            return "certificate is not for this host name"
        }
        if description.contains("WRONG_VERSION_NUMBER") {
            return "the server does not speak TLS (plain http on an https URL?)"
        }
        // "error:1000007d:SSL routines:OPENSSL_internal:SOME_REASON at /path/...": the reason.
        if let range = description.range(of: "OPENSSL_internal:") {
            let reason = description[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !reason.isEmpty { return reason.lowercased().replacingOccurrences(of: "_", with: " ") }
        }
        let withoutPath = description.range(of: " at /").map { String(description[..<$0.lowerBound]) } ?? description
        return String(withoutPath.prefix(200))
    }

    /// Classifies a failed `connect(2)`/`read(2)` errno.
    public static func classify(errno code: Int32) -> EndpointError {
        switch code {
        case ECONNREFUSED: .refused
        case ETIMEDOUT: .timeout(afterMillis: 0)
        case ECONNRESET: ConnectionBreak.resetByPeer.error
        case EPIPE: ConnectionBreak.closedByPeer.error
        case EHOSTUNREACH, ENETUNREACH: .connection("no route to host")
        default: .connection(String(cString: strerror(code)))
        }
    }

    private static func classify(_ error: HTTPClientError, timeoutMillis: Int64) -> EndpointError {
        switch error {
        case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .getConnectionFromPoolTimeout,
            .tlsHandshakeTimeout, .cancelled:
            return .timeout(afterMillis: timeoutMillis)
        case .remoteConnectionClosed:
            return ConnectionBreak.closedMidAnswer.error
        case .invalidURL, .emptyHost, .emptyScheme, .missingSocketPath:
            return .badURL("cannot parse the Jolokia URL")
        case .bodyLengthMismatch:
            return .connection("answer shorter than its Content-Length")
        default:
            if "\(error)".contains("unsupportedScheme") { return .badURL("only http and https are supported") }
            return .connection("\(error)")
        }
    }
}
