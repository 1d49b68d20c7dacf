import AMQTopCore
import Foundation
import NIOPosix
import Testing

@testable import AMQTopServe

/// The web config (exporter-toolkit's keys), bcrypt through libcrypt, and the basic-auth check.
struct WebConfigTests {
    /// Openwall crypt_blowfish's published test vectors: the hashes any bcrypt must reproduce.
    static let uStarU = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"
    static let uStarUStar = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK"

    @Test func bcryptReproducesTheKnownVectorsInEveryPrefix() {
        #expect(BcryptHash.verify("U*U", against: Self.uStarU))
        #expect(BcryptHash.verify("U*U*", against: Self.uStarUStar))
        // htpasswd writes $2y$, Go's bcrypt $2a$, OpenBSD $2b$: the same hash for ASCII passwords.
        #expect(BcryptHash.verify("U*U", against: "$2y$" + Self.uStarU.dropFirst(4)))
        #expect(BcryptHash.verify("U*U", against: "$2b$" + Self.uStarU.dropFirst(4)))
        #expect(!BcryptHash.verify("U*U*", against: Self.uStarU))
        #expect(!BcryptHash.verify("", against: Self.uStarU))
        #expect(!BcryptHash.verify("U*U\u{0}", against: Self.uStarU), "a NUL never reaches crypt")
        #expect(!BcryptHash.verify("U*U", against: "U*U"), "a plain text 'hash' never matches")
    }

    @Test func wellFormedHashesOnly() {
        #expect(BcryptHash.isWellFormed(Self.uStarU))
        #expect(!BcryptHash.isWellFormed("secret"))
        #expect(!BcryptHash.isWellFormed("$1$" + String(Self.uStarU.dropFirst(3))))
        #expect(!BcryptHash.isWellFormed(String(Self.uStarU.dropLast())))
        #expect(!BcryptHash.isWellFormed("$2y$99$" + String(Self.uStarU.dropFirst(7))), "cost 99")
    }

    @Test func parsesExporterToolkitKeysAndResolvesRelativePaths() throws {
        let text = """
            tls_server_config:
              cert_file: server.crt
              key_file: /etc/amqtop/server.key
            basic_auth_users:
              prometheus: \(Self.uStarU)

            """
        let config = try WebConfig.parse(text, file: "web.yml", directory: "/etc/amqtop")
        #expect(config.tls == WebConfig.TLS(certFile: "/etc/amqtop/server.crt", keyFile: "/etc/amqtop/server.key"))
        #expect(config.users == ["prometheus": Self.uStarU])
        #expect(try WebConfig.parse("", file: "web.yml", directory: "/") == WebConfig())
    }

    @Test func refusesWhatItDoesNotImplementByNameAndLine() {
        let cases: [(String, Int, String, String)] = [
            ("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireAndVerifyClientCert\n", 4, "tls_server_config.client_auth_type", "not supported"),
            ("http_server_config:\n  http2: false\n", 1, "http_server_config", "not supported"),
            ("tls_server_config:\n  cert_file: a\n", 2, "tls_server_config.key_file", "missing"),
            ("basic_auth_users:\n  alice: s3cret-plain\n", 2, "basic_auth_users.alice", "not a bcrypt hash"),
            ("basic_auth_users: [alice]\n", 1, "basic_auth_users", "must be a mapping"),
        ]
        for (text, line, key, words) in cases {
            do {
                _ = try WebConfig.parse(text, file: "web.yml", directory: "/")
                Issue.record("accepted: \(text)")
            } catch let error as ConfigError {
                #expect(error.file == "web.yml" && error.line == line && error.key == key && error.message.contains(words), "\(error)")
                #expect(!error.description.contains("s3cret"), "a mistaken plain password is never quoted: \(error)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func tlsFilesThatDoNotLoadAreNamed() throws {
        let directory = NSTemporaryDirectory() + "amqtop-webcfg-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "not a certificate\n".write(toFile: "\(directory)/server.crt", atomically: true, encoding: .utf8)
        let config = WebConfig(tls: .init(certFile: "\(directory)/server.crt", keyFile: "\(directory)/server.key"))
        #expect(throws: ConfigError.self) { try WebSettings.make(config, file: "web.yml") }
        do {
            _ = try WebSettings.make(config, file: "web.yml")
        } catch let error as ConfigError {
            #expect(error.key == "tls_server_config.cert_file" && error.message.contains("server.crt"), "\(error)")
        }
    }

    @Test func basicAuthAllowsTheRightPasswordOnlyAndRemembersIt() {
        let auth = BasicAuthenticator(users: ["prometheus": Self.uStarU])
        func header(_ user: String, _ password: String) -> String { "Basic " + Data("\(user):\(password)".utf8).base64EncodedString() }
        #expect(auth.isEnabled)
        #expect(!auth.allowsCheaply(authorization: header("prometheus", "U*U")), "not remembered before a bcrypt")
        #expect(auth.allows(authorization: header("prometheus", "U*U")))
        #expect(auth.allowsCheaply(authorization: header("prometheus", "U*U")), "remembered after one")
        #expect(!auth.allows(authorization: header("prometheus", "U*U*")))
        #expect(!auth.allowsCheaply(authorization: header("prometheus", "U*U*")))
        #expect(!auth.allows(authorization: header("nobody", "U*U")))
        #expect(!auth.allows(authorization: nil))
        #expect(!auth.allows(authorization: "Bearer abc"))
        #expect(!auth.allows(authorization: "Basic not-base64!"))
        #expect(!auth.allows(authorization: "Basic " + Data("no-colon".utf8).base64EncodedString()))
        // A password may contain ':' (only the first one separates the user).
        #expect(BasicAuthenticator.credentials(header("u", "a:b"))! == ("u", "a:b"))
        #expect(BasicAuthenticator(users: [:]).allows(authorization: nil), "no users: no authentication")
    }

    /// A full check queue refuses at once instead of queueing: a wrong-password flood costs bounded CPU and memory.
    @Test func aFullCheckQueueRefusesAtOnceAndTheWaitingCheckStillPasses() async throws {
        // Cost 12: a few hundred milliseconds, long enough for the second check to find the queue full.
        let setting = try #require(BcryptHash.randomSetting(prefix: "$2b$", cost: 12))
        let hash = try #require(BcryptHash.crypt("right", setting: setting))
        let auth = BasicAuthenticator(users: ["p": hash])
        let header = "Basic " + Data("p:right".utf8).base64EncodedString()
        let queue = CredentialCheckQueue(limit: 1)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let first = queue.check(header, with: auth, on: loop)
        let second = queue.check(header, with: auth, on: loop)
        #expect(try await second.get() == false, "refused while the queue is full")
        #expect(try await first.get() == true)
        #expect(try await queue.check(header, with: auth, on: loop).get() == true, "room again once the first is done")
        await queue.shutdown()
    }
}
