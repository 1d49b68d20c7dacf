import Testing

@testable import AMQTopProbes

/// NIOSSL's handshake failures, as NIOSSL 2.x describes them, become sentences without its dump.
@Suite struct TLSDetailTests {
    static let dump = "handshakeFailed(NIOSSL.BoringSSLError.sslError([Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:"

    @Test(arguments: [
        (dump + "CERTIFICATE_VERIFY_FAILED at /src/.build/checkouts/swift-nio-ssl/Sources/CNIOBoringSSL/ssl/handshake.cc:393]))",
         "certificate not trusted (self-signed, unknown CA or expired)"),
        ("NIOSSLExtraError.failedToValidateHostname: Couldn't find localhost in certificate from peer",
         "certificate is not for this host name"),
        (dump + "WRONG_VERSION_NUMBER at /src/.build/checkouts/swift-nio-ssl/Sources/CNIOBoringSSL/ssl/tls_record.cc:231]))",
         "the server does not speak TLS (plain http on an https URL?)"),
        (dump + "TLSV1_ALERT_PROTOCOL_VERSION at /src/x.cc:1]))", "tlsv1 alert protocol version"),
        ("uncleanShutdown at /src/x.swift:12", "uncleanShutdown"),
    ])
    func reasonsReadAsWords(_ description: String, _ expected: String) {
        #expect(TransportErrorClassifier.tlsDetail(description) == expected)
    }
}
