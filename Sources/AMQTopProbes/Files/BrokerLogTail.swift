import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Follows one log file like `tail -F`: the complete lines written since the last read.
///
/// Starts at the file's end (what was written before is `amqtop history import`'s job). A
/// rotation is seen as a new inode at the path, or the file shrinking below the offset read
/// (truncated in place): the rest of the old file is read through the descriptor still open,
/// then the new file from its start. Read-only; each read is bounded, so a log flooded with
/// lines costs at most `chunkBytes` per call. A missing file is waited for, silently.
public final class BrokerLogTail: @unchecked Sendable {
    /// The log's path.
    public let path: String
    /// The most one `read()` takes from the file.
    public let chunkBytes: Int
    private let lock = NSLock()
    private var descriptor: Int32 = -1
    private var inode: UInt64 = 0
    private var offset: Int64 = 0
    private var splitter: LogLineSplitter
    private var started = false

    public init(path: String, chunkBytes: Int = 1 << 20) {
        self.path = path
        self.chunkBytes = chunkBytes
        splitter = LogLineSplitter(limitBytes: chunkBytes)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// The complete lines written since the last call (without their line ends).
    public func read() -> [String] {
        lock.withLock { readLocked() }
    }

    private func readLocked() -> [String] {
        var status = stat()
        let present = stat(path, &status) == 0
        if !started {
            started = true
            // The first look opens at the end: only lines written from now on are news.
            if present, open(at: status, fromEnd: true) { return [] }
        }
        var lines: [String] = []
        if descriptor >= 0 {
            let rotated = !present || UInt64(status.st_ino) != inode
            var current = stat()
            let shrunk = fstat(descriptor, &current) == 0 && Int64(current.st_size) < offset
            if shrunk {
                // Truncated in place (copytruncate): what is there now was written after.
                offset = 0
                splitter.drop()
            }
            lines += drain()
            if rotated {
                // Whatever the old file still held is read; its unfinished last line ends with it.
                if let last = splitter.finish() { lines.append(last) }
                close(descriptor)
                descriptor = -1
            }
        }
        if descriptor < 0, present, open(at: status, fromEnd: false) {
            lines += drain()
        }
        return lines
    }

    /// Opens the file `status` describes; true on success.
    private func open(at status: stat, fromEnd: Bool) -> Bool {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        guard fd >= 0 else { return false }
        var opened = stat()
        guard fstat(fd, &opened) == 0, opened.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            return false
        }
        descriptor = fd
        inode = UInt64(opened.st_ino)
        offset = fromEnd ? Int64(opened.st_size) : 0
        splitter.drop()
        return true
    }

    /// Reads from the offset, at most `chunkBytes`, and splits off the complete lines.
    private func drain() -> [String] {
        var buffer = [UInt8](repeating: 0, count: min(chunkBytes, 64 << 10))
        var read = Data()
        while read.count < chunkBytes {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
            guard count > 0 else { break }
            read.append(contentsOf: buffer[0..<count])
            offset += Int64(count)
        }
        // A single line longer than a chunk is cut rather than held without bound.
        return splitter.take(read)
    }
}
