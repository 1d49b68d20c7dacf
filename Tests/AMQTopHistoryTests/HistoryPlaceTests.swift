import AMQTopCore
import Foundation
import Testing

@testable import AMQTopHistory

/// A `history:` path that cannot hold a history gets a plain message naming the path (issue 14:
/// a raw NSError was shown), and monitoring goes on without history.
struct HistoryPlaceTests {
    @Test func unusablePlacesAreNamedPlainly() throws {
        let scratch = NSTemporaryDirectory() + "amqtop-history-place-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        #expect(mkfifo(scratch + "/fifo.sqlite", 0o600) == 0)
        try "x".write(toFile: scratch + "/plain", atomically: true, encoding: .utf8)
        #expect(mkdir(scratch + "/dir.sqlite", 0o700) == 0)
        let cases: [(String, String)] = [
            ("/proc/amqtop-no-such/h.sqlite", "cannot create history file /proc/amqtop-no-such/h.sqlite: cannot create directory /proc/amqtop-no-such: "),
            (scratch + "/fifo.sqlite", "cannot create history file \(scratch)/fifo.sqlite: it is a FIFO (named pipe), not a regular file"),
            (scratch + "/dir.sqlite", "cannot create history file \(scratch)/dir.sqlite: it is a directory, not a regular file"),
            (scratch + "/plain/h.sqlite", "cannot create history file \(scratch)/plain/h.sqlite: \(scratch)/plain is not a directory"),
        ]
        for (path, says) in cases {
            let opening = HistoryStore.openRecovering(path: path, nowMillis: 1_800_000_000_000)
            #expect(opening.store == nil, "\(path)")
            #expect(opening.notices.count == 1 && opening.notices[0].hasPrefix(says), "\(path): \(opening.notices)")
            #expect(opening.notices[0].hasSuffix("; history is off for this run"))
            #expect(!opening.notices.joined().contains("NSCocoaErrorDomain") && !opening.notices.joined().contains("The operation"))
        }
        // A missing directory below a usable one is still created, private to the user.
        let nested = scratch + "/state/amqtop/history.sqlite"
        #expect(HistoryStore.openRecovering(path: nested, nowMillis: 1_800_000_000_000).store != nil)
        var info = stat()
        #expect(stat(scratch + "/state/amqtop", &info) == 0 && info.st_mode & 0o777 == 0o700)
    }
}
