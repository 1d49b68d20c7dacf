import AMQTopCore
import Foundation
@testable import AMQTopRemote

/// A private directory of fake `ssh` executables: shell scripts that stand in for ssh and the
/// remote login (most end in `exec /bin/sh`, the shell amqtop's requests go to); `remove()` deletes it.
final class FakeSSH: Sendable {
    let directory: String

    init() throws {
        directory = try Self.temporaryDirectory(prefix: "amqtop-fake-ssh")
    }

    /// A new private directory (mkdtemp) under the temporary directory; the caller removes it.
    static func temporaryDirectory(prefix: String) throws -> String {
        var template = Array((NSTemporaryDirectory() + "/\(prefix)-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return String(cString: made)
    }

    /// Writes the fake ssh `name` running `body` (a shell script; ssh's arguments are its `$@`); its path.
    func script(_ name: String, body: String) throws -> String {
        let path = "\(directory)/\(name)"
        // O_CLOEXEC: a process another test forks meanwhile must not inherit the descriptor
        // open for writing, or running the script fails with ETXTBSY ("Text file busy").
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o700)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(fd) }
        let bytes = Array("#!/bin/sh\n\(body)\n".utf8)
        guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else { throw CocoaError(.fileWriteUnknown) }
        return path
    }

    /// The command line of a session through the fake ssh `name` running `body`.
    func make(_ name: String, body: String) throws -> SSHCommandLine {
        SSHCommandLine(executable: try script(name, body: body), destination: "fake", configFile: nil, connectTimeoutSeconds: 2)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
