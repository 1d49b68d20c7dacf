import AMQTopCore
import Foundation

/// Reads a broker's Jolokia password from where the config says it lives.
///
/// Errors name the variable or the file, never the secret, so they can be shown and logged.
public enum PasswordResolver {
    /// Why a password could not be obtained.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case variableUnset(String)
        /// The file may be read by its group or by others (`mode` in octal).
        case fileTooOpen(path: String, mode: UInt32)
        case fileUnreadable(path: String, reason: String)
        case fileEmpty(String)

        public var description: String {
            switch self {
            case .variableUnset(let name): "environment variable \(name) is not set"
            case .fileTooOpen(let path, let mode):
                "\(path) is readable by group or others (mode \(String(mode, radix: 8))); chmod 600 it"
            case .fileUnreadable(let path, let reason): "cannot read \(path): \(reason)"
            case .fileEmpty(let path): "\(path) is empty"
            }
        }
    }

    /// The password, or why not; `environment` looks a variable up (defaults to the process's).
    public static func resolve(
        _ source: PasswordSource,
        environment: (String) -> String? = { name in getenv(name).map { String(cString: $0) } }
    ) -> Result<Secret, Failure> {
        switch source {
        case .environment(let name):
            guard let value = environment(name) else { return .failure(.variableUnset(name)) }
            return .success(Secret(value))
        case .file(let path):
            return readFile(path)
        }
    }

    private static func readFile(_ path: String) -> Result<Secret, Failure> {
        // SafeFile: never blocks on a FIFO, refuses anything but a regular file.
        let bytes: [UInt8]
        do {
            let reader = try SafeFile.open(path, limitBytes: 4096)
            defer { reader.close() }
            // Checked on the open descriptor, so a file swapped after the check cannot slip through.
            if reader.mode & 0o044 != 0 { return .failure(.fileTooOpen(path: path, mode: UInt32(reader.mode & 0o777))) }
            var read: [UInt8] = []
            while let chunk = try reader.next() { read += chunk }
            bytes = read
        } catch {
            return .failure(.fileUnreadable(path: path, reason: error.problem))
        }
        var text = String(decoding: bytes, as: UTF8.self)
        // Editors and `echo` leave a trailing newline that is not part of the password.
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        guard !text.isEmpty else { return .failure(.fileEmpty(path)) }
        return .success(Secret(text))
    }
}
