import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An HTTPS Jolokia stand-in with a fresh self-signed certificate for 127.0.0.1.
///
/// openssl makes the certificate and python3's `ssl` serves it: both are on every test
/// machine, and neither shares code with the client under test. Shared by the probe tests
/// (the classification) and the integration tests (the dashboard's row), so both see the
/// same untrusted server.
public final class SelfSignedTLSServer: @unchecked Sendable {
    let process: Process
    /// The port it listens on, on 127.0.0.1.
    public let port: Int

    /// The Jolokia URL to configure for it.
    public var url: String { "https://127.0.0.1:\(port)/api/jolokia" }

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    /// Generates the certificate in `directory`, starts the server answering every POST with `body`.
    public static func start(in directory: String, body: String) async throws -> SelfSignedTLSServer {
        let key = directory + "/key.pem", cert = directory + "/cert.pem", bodyFile = directory + "/body.json"
        let portFile = directory + "/port"
        try body.write(toFile: bodyFile, atomically: true, encoding: .utf8)
        let status = try await run("/usr/bin/env", [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-days", "1",
            "-keyout", key, "-out", cert,
        ])
        guard status == 0 else { throw POSIXError(.EIO) }
        let script = """
            import http.server, os, ssl, sys
            cert, key, body_file, port_file = sys.argv[1:5]
            body = open(body_file, "rb").read()
            class Handler(http.server.BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"
                def do_POST(self):
                    self.rfile.read(int(self.headers.get("Content-Length", "0")))
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *args):
                    pass
            class Server(http.server.ThreadingHTTPServer):
                daemon_threads = True
                def handle_error(self, request, address):
                    pass  # a refused handshake is the client's verdict, not a server failure
            server = Server(("127.0.0.1", 0), Handler)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            server.socket = context.wrap_socket(server.socket, server_side=True)
            with open(port_file + ".tmp", "w") as f:
                f.write(str(server.server_address[1]))
            os.rename(port_file + ".tmp", port_file)
            server.serve_forever()
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, cert, key, bodyFile, portFile]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let ready = await until(millis: 10_000) { FileManager.default.fileExists(atPath: portFile) || !process.isRunning }
        guard ready, process.isRunning, let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text) else {
            kill(process.processIdentifier, SIGKILL)
            _ = await until(millis: 5000) { !process.isRunning }
            throw POSIXError(.EIO)
        }
        return SelfSignedTLSServer(process: process, port: port)
    }

    /// Kills the server and waits for it, polling (no blocking wait on the test pool).
    public func stop() async {
        kill(process.processIdentifier, SIGKILL)
        _ = await Self.until(millis: 10_000) { !self.process.isRunning }
    }

    /// Runs a short command to completion and returns its status, polling for the exit.
    static func run(_ executable: String, _ arguments: [String]) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard await until(millis: 30_000, { !process.isRunning }) else {
            kill(process.processIdentifier, SIGKILL)
            _ = await until(millis: 5000) { !process.isRunning }
            return -1
        }
        return process.terminationStatus
    }

    /// Polls `condition` until it holds or `millis` pass; whether it held. (Each test target
    /// has its own waiting helpers; this module depends on none of them.)
    private static func until(millis: Int, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(millis)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition()
    }
}
