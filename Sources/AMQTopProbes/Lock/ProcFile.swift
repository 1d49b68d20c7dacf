import Foundation

/// Reads a whole `/proc` file, however long.
///
/// procfs files report a size of 0 and are generated as they are read. Foundation's
/// `String(contentsOfFile:)` trusts the size and stops after the first 4 KiB, which on
/// `/proc/locks` hid every lock past about the 90th line: their holders looked unknown, so
/// each read asked for a fresh copy, and on NFS a local master was reported as "held
/// elsewhere". A busy host has hundreds of locks and mounts, so read until `read(2)` says EOF.
public enum ProcFile {
    /// The file's text, or nil when it cannot be opened or read (or is not UTF-8).
    public static func text(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count < 0 { return nil }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
