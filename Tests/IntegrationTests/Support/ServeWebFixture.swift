import Foundation

/// A web config for `amqtop serve` made for one test: a fresh self-signed certificate for
/// 127.0.0.1 (openssl), one user with a bcrypt hash (Python's crypt, i.e. libcrypt), and the
/// files a client needs (curl config files, a Prometheus password file).
///
/// The password is random, lives only in 0600 files in the fixture's directory and is never
/// on a command line: curl reads it with `-K FILE`, Prometheus with `password_file`.
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
        password = "pw-" + UUID().uuidString
        certificatePath = "\(directory)/server.crt"
        let key = "\(directory)/server.key"
        let made = try await CommandRunner.run(Self.openssl, [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
            "-subj", "/CN=amqtop-serve-test", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", key, "-out", certificatePath,
        ], deadline: .now + .seconds(30))
        guard made.exitCode == 0 else { throw HarnessError.launch("openssl req: \(made.stderr)") }
        let hash = try await Self.bcrypt(password, directory: directory)
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

    /// A bcrypt hash (`$2b$`, cost 10) of `password`, fed to Python on standard input.
    static func bcrypt(_ password: String, directory: String) async throws -> String {
        let input = "\(directory)/hash-input"
        _ = FileManager.default.createFile(atPath: input, contents: Data(password.utf8), attributes: [.posixPermissions: 0o600])
        defer { try? FileManager.default.removeItem(atPath: input) }
        let script = "import crypt,sys; print(crypt.crypt(sys.stdin.read(), crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1024)))"
        let result = try await CommandRunner.run("/bin/sh", ["-c", "exec python3 -W ignore -c \"$0\" < \"$1\"", script, input], deadline: .now + .seconds(30))
        let hash = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.exitCode == 0, hash.hasPrefix("$2") else { throw HarnessError.launch("python3 crypt (bcrypt): \(result.stderr)") }
        return hash
    }

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
