import Foundation

/// A web config for `amqtop serve` made for one test: a fresh self-signed certificate for
/// 127.0.0.1 (openssl), one user with a bcrypt hash, and the files a client needs (curl
/// config files, a Prometheus password file).
///
/// The password is in 0600 files in the fixture's directory and never on a command line:
/// curl reads it with `-K FILE`, Prometheus with `password_file`.
struct ServeWebFixture: Sendable {
    let directory: String
    let webConfigPath: String
    let certificatePath: String
    let user = "prometheus"
    let password: String
    let passwordFile: String
    /// `curl -K` files: the right password, a wrong one, and none (TLS only).
    let curlGood: String
    let curlWrong: String
    let curlAnonymous: String

    static let openssl = "/usr/bin/openssl"
    static let curl = "/usr/bin/curl"
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: openssl) && FileManager.default.isExecutableFile(atPath: curl) }

    /// Makes everything in `directory` (created; removed with its owner's directory).
    init(directory: String) async throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        password = Self.passwords[0].password
        certificatePath = "\(directory)/server.crt"
        let key = "\(directory)/server.key"
        let made = try await CommandRunner.run(Self.openssl, [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
            "-subj", "/CN=amqtop-serve-test", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", key, "-out", certificatePath,
        ], deadline: .now + .seconds(30))
        guard made.exitCode == 0 else { throw HarnessError.launch("openssl req: \(made.stderr)") }
        let hash = Self.passwords[0].hash
        webConfigPath = "\(directory)/web.yml"
        // Relative paths: serve reads them from the web config's directory, as exporter-toolkit does.
        try """
            tls_server_config:
              cert_file: server.crt
              key_file: server.key
            basic_auth_users:
              \(user): '\(hash)'

            """.write(toFile: webConfigPath, atomically: true, encoding: .utf8)
        passwordFile = "\(directory)/prometheus.password"
        curlGood = "\(directory)/curl-good.conf"
        curlWrong = "\(directory)/curl-wrong.conf"
        curlAnonymous = "\(directory)/curl-anonymous.conf"
        let common = "cacert = \"\(certificatePath)\"\nsilent\nshow-error\nmax-time = 5\n"
        for (path, text) in [
            (passwordFile, password),
            (curlGood, common + "user = \"\(user):\(password)\"\n"),
            (curlWrong, common + "user = \"\(user):not-\(password)\"\n"),
            (curlAnonymous, common),
        ] {
            _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        }
    }

    /// Two test passwords and their bcrypt hashes (`$2b$`, cost 10, made once with libcrypt's
    /// `crypt(3)`), so no test needs a bcrypt generator (Python's `crypt` module is gone in 3.13).
    /// Long and unusual, so a search of a log for one cannot match by chance.
    static let passwords: [(password: String, hash: String)] = [
        ("amqtop-serve-test-7d41c9e2b6a5", "$2b$10$37W20JjZiG71LpqOBqN5M.qpgqPixO8r4yBspzYHiHGwY82HKB7EK"),
        ("amqtop-serve-test-new-3e8f0a91c4d7", "$2b$10$PsijlRC.w/lyaJo3XCtFEeGmO549zObxoQczgdxDiDKROIdp0dkm2"),
    ]

    /// One request through curl with `config` (one of the `curl*` files): status, headers (lowercased names) and body.
    func curl(_ url: String, config: String, accept: String? = nil) async throws -> (status: Int, headers: [String: String], body: String) {
        let headersPath = "\(directory)/headers-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: headersPath) }
        var arguments = ["-K", config, "-D", headersPath, "-o", "-", "-w", "\n%{http_code}"]
        if let accept { arguments += ["-H", "Accept: \(accept)"] }
        let result = try await CommandRunner.run(Self.curl, arguments + [url], deadline: .now + .seconds(15))
        guard result.exitCode == 0, let cut = result.stdout.lastIndex(of: "\n") else {
            throw HarnessError.launch("curl \(url): exit \(result.exitCode): \(result.stderr)")
        }
        var headers: [String: String] = [:]
        for line in ((try? String(contentsOfFile: headersPath, encoding: .utf8)) ?? "").split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (Int(result.stdout[result.stdout.index(after: cut)...]) ?? 0, headers, String(result.stdout[..<cut]))
    }
}
