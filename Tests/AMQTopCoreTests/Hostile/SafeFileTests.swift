import Foundation
import Testing

@testable import AMQTopCore

/// Every file a user names is checked for type and size and never blocks (issue 14, hangs).
struct SafeFileTests {
    static func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "amqtop-safefile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func failure(_ path: String, limit: Int = 1024) -> SafeFile.Failure? {
        do {
            _ = try SafeFile.read(path, limitBytes: limit)
            return nil
        } catch {
            return error
        }
    }

    @Test func refusesWhatIsNoRegularFileByName() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/fifo", 0o644) == 0)
        #expect(symlink(dir + "/fifo", dir + "/link-to-fifo") == 0)
        #expect(Self.failure(dir + "/fifo")?.description == "\(dir)/fifo: is a FIFO (named pipe), not a regular file")
        #expect(Self.failure(dir + "/link-to-fifo")?.reason == .notRegular("a FIFO (named pipe)"))
        #expect(Self.failure("/dev/zero")?.reason == .notRegular("a character device"))
        #expect(Self.failure("/dev/null")?.reason == .notRegular("a character device"))
        #expect(Self.failure(dir)?.reason == .notRegular("a directory"))
        #expect(Self.failure(dir + "/missing")?.reason == .missing)
        #expect(Self.failure(dir + "/missing/below")?.reason == .missing)
        let socketPath = dir + "/sock"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in socketPath.utf8.enumerated() where i < raw.count - 1 { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        #expect(Self.failure(socketPath)?.reason == .notRegular("a socket"))
    }

    @Test func boundsTheSizeAndReadsWhatFits() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(repeating: 0x61, count: 1025).write(to: URL(fileURLWithPath: dir + "/big"))
        try Data(repeating: 0x61, count: 1024).write(to: URL(fileURLWithPath: dir + "/fits"))
        #expect(Self.failure(dir + "/big")?.reason == .tooLarge(limitBytes: 1024))
        #expect(Self.failure(dir + "/big")?.problem == "larger than 1 KiB, more than amqtop reads from such a file")
        #expect(try SafeFile.read(dir + "/fits", limitBytes: 1024).count == 1024)
        try Data([0xff, 0xfe]).write(to: URL(fileURLWithPath: dir + "/binary"))
        #expect(throws: SafeFile.Failure(path: dir + "/binary", reason: .other("not UTF-8 text"))) {
            try SafeFile.text(dir + "/binary", limitBytes: 10)
        }
    }

    /// EACCES from `stat` is a directory on the way that cannot be searched, not "no such file".
    @Test func permissionErrorsSayWhichKind() {
        #expect(SafeFile.failure("/a/b", errno: EACCES, onOpen: false).problem.contains("a directory on its path is not searchable"))
        #expect(SafeFile.failure("/a/b", errno: EACCES, onOpen: true).problem == "permission denied (this user may not read it)")
        #expect(SafeFile.failure("/a/b", errno: ENOTDIR, onOpen: false).reason == .missing)
    }

    // MARK: - The configuration file

    static func loadError(_ path: String) -> ConfigError? {
        do {
            _ = try ConfigLoader(environment: [:], currentDirectory: "/").load(path: path)
            return nil
        } catch let error as ConfigError {
            return error
        } catch {
            return ConfigError(file: "?", line: nil, key: nil, message: "\(error)")
        }
    }

    @Test func configFilesThatAreNoConfigSaySo() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(mkfifo(dir + "/fifo.yaml", 0o644) == 0)
        try "".write(toFile: dir + "/empty.yaml", atomically: true, encoding: .utf8)
        try "# nothing\n   \n# here\n".write(toFile: dir + "/comments.yaml", atomically: true, encoding: .utf8)
        try "poll: 1s\n".write(toFile: dir + "/settings-only.yaml", atomically: true, encoding: .utf8)
        try "groups: []\n".write(toFile: dir + "/no-groups.yaml", atomically: true, encoding: .utf8)
        #expect(Self.loadError(dir + "/fifo.yaml")?.message == "is a FIFO (named pipe), not a regular file")
        #expect(Self.loadError("/dev/zero")?.message == "is a character device, not a regular file")
        #expect(Self.loadError(dir)?.message == "is a directory, not a regular file")
        #expect(Self.loadError(dir + "/none.yaml")?.message == "no such file")
        for name in ["empty", "comments", "settings-only", "no-groups"] {
            let error = Self.loadError(dir + "/\(name).yaml")
            #expect(error?.key == "groups" && error?.message.hasPrefix("no groups configured") == true, "\(name): \(String(describing: error))")
        }
    }

    /// A 5 MB config with 30,000 brokers took 12 s and 990 MB; now refused, plainly, by size or count.
    @Test func oversizedConfigsAreRefusedByName() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func fleet(_ count: Int) -> String {
            "groups:\n  - name: g\n    brokers:\n" + (1...count).map { "      - {name: b\($0), jolokia: 'http://h:1/j'}\n" }.joined()
        }
        try fleet(30_000).write(toFile: dir + "/huge.yaml", atomically: true, encoding: .utf8)
        #expect(Self.loadError(dir + "/huge.yaml")?.message == "larger than 1 MiB, more than amqtop reads from such a file")
        try fleet(ConfigParser.maxBrokers + 1).write(toFile: dir + "/many.yaml", atomically: true, encoding: .utf8)
        let many = Self.loadError(dir + "/many.yaml")
        #expect(many?.message.hasPrefix("more than 2000 brokers in all") == true, "\(String(describing: many))")
        try fleet(ConfigParser.maxBrokers).write(toFile: dir + "/limit.yaml", atomically: true, encoding: .utf8)
        #expect(Self.loadError(dir + "/limit.yaml") == nil)
    }
}
