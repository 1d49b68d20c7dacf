import CZlib
import Foundation

/// Reads a broker log file whole, plain or gzip-compressed (rotated `activemq.log.2.gz`).
///
/// zlib's gzip reader does both: it inflates a gzip stream (several concatenated members
/// too) and passes any other file through unchanged, so a rotated file is read the same way
/// whether or not logrotate compressed it. Read-only, and bounded: a file that inflates to
/// more than `limitBytes` is refused rather than filling memory.
public struct BrokerLogFileReader: Sendable {
    /// Why a log could not be read, naming the file.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// The most a file may hold once inflated.
    public var limitBytes: Int

    public init(limitBytes: Int = 512 << 20) {
        self.limitBytes = limitBytes
    }

    /// The file's text (bytes that are not UTF-8 replaced, so a scan counts them as unknown lines).
    public func read(_ path: String) throws -> String {
        var status = stat()
        guard stat(path, &status) == 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw Failure(path: path, reason: "not a regular file") }
        guard let file = gzopen(path, "rb") else {
            throw Failure(path: path, reason: errno == 0 ? "cannot open (out of memory)" : String(cString: strerror(errno)))
        }
        defer { gzclose(file) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if count < 0 {
                var code: Int32 = 0
                let message = gzerror(file, &code).map { String(cString: $0) } ?? "read error"
                throw Failure(path: path, reason: "unreadable: \(message)")
            }
            if count == 0 { break }
            guard data.count + Int(count) <= limitBytes else {
                throw Failure(path: path, reason: "more than \(limitBytes >> 20) MiB of text: split it or import its rotated parts")
            }
            data.append(contentsOf: chunk[0..<Int(count)])
        }
        return String(decoding: data, as: UTF8.self)
    }
}
