import Foundation

/// What opening a history could disturb in a file: its bytes, size, inode, mtime and ctime to
/// the nanosecond, and the names in its directory (a rename aside would add one).
struct FileFingerprint: Equatable, CustomStringConvertible {
    var content: Data
    var size: Int64
    var inode: UInt64
    var mtime: [Int]
    var ctime: [Int]
    var directory: [String]

    init(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw HistoryTestSupport.SupportError("cannot stat \(path): errno \(errno)") }
        content = FileManager.default.contents(atPath: path) ?? Data()
        size = Int64(info.st_size)
        inode = UInt64(info.st_ino)
        mtime = [info.st_mtim.tv_sec, info.st_mtim.tv_nsec]
        ctime = [info.st_ctim.tv_sec, info.st_ctim.tv_nsec]
        directory = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent).sorted()
    }

    var description: String { "size \(size), inode \(inode), mtime \(mtime), ctime \(ctime), files \(directory)" }
}
