import AMQTopCore
import NIOSSL

/// A loaded web config, ready for the listener: the TLS context (certificate and key read and checked) and the authenticator.
public struct WebSettings: Sendable {
    public let tls: NIOSSLContext?
    public let authenticator: BasicAuthenticator

    /// Plain HTTP, no authentication (no `--web.config.file`).
    public static let plain = WebSettings(tls: nil, authenticator: BasicAuthenticator(users: [:]))

    init(tls: NIOSSLContext?, authenticator: BasicAuthenticator) {
        self.tls = tls
        self.authenticator = authenticator
    }

    /// Reads the web config at `path` and everything it names; throws `ConfigError` naming the file and key.
    public static func load(path: String) throws -> WebSettings {
        try make(WebConfig.load(path: path), file: path)
    }

    /// Builds the settings for `config` (read from `file`, named in messages).
    public static func make(_ config: WebConfig, file: String) throws -> WebSettings {
        var context: NIOSSLContext?
        if let tls = config.tls {
            let chain: [NIOSSLCertificate]
            do {
                chain = try NIOSSLCertificate.fromPEMFile(tls.certFile)
            } catch {
                throw ConfigError(file: file, line: nil, key: "tls_server_config.cert_file", message: "cannot load \(tls.certFile) as PEM certificates: \(error)")
            }
            guard !chain.isEmpty else {
                throw ConfigError(file: file, line: nil, key: "tls_server_config.cert_file", message: "\(tls.certFile) holds no certificate")
            }
            let key: NIOSSLPrivateKey
            do {
                key = try NIOSSLPrivateKey(file: tls.keyFile, format: .pem)
            } catch {
                throw ConfigError(file: file, line: nil, key: "tls_server_config.key_file", message: "cannot load \(tls.keyFile) as a PEM private key: \(error)")
            }
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
            // exporter-toolkit's default minimum.
            configuration.minimumTLSVersion = .tlsv12
            do {
                context = try NIOSSLContext(configuration: configuration)
            } catch {
                throw ConfigError(file: file, line: nil, key: "tls_server_config", message: "the certificate and key do not make a TLS server (do they belong together?): \(error)")
            }
        }
        return WebSettings(tls: context, authenticator: BasicAuthenticator(users: config.users))
    }

    /// `https` with TLS, `http` without.
    public var scheme: String { tls == nil ? "http" : "https" }
}
