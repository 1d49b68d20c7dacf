import AMQTopLab
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `amqtop lab` as a user runs it, aimed at the wrong places: it refuses every directory it
/// did not make (leaving it byte for byte as it was), bounds `--brokers`, starts all brokers
/// or none, and a later start removes the directory of a lab killed with `kill -9`.
@Suite(.serialized)
struct LabSafetyTests {
    /// A launched `amqtop lab`, output to files.
    final class Lab: @unchecked Sendable {
        let process = Process()
        let errPath = NSTemporaryDirectory() + "amqtop-labsafety-err-" + UUID().uuidString

        init(_ arguments: [String], environment: [String: String] = [:]) throws {
            process.executableURL = URL(fileURLWithPath: try LabTestSupport.amqtopExecutable())
            process.arguments = ["lab"] + arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            _ = FileManager.default.createFile(atPath: errPath, contents: nil)
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            process.standardError = FileHandle(forWritingAtPath: errPath)
            try process.run()
        }

        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            try? FileManager.default.removeItem(atPath: errPath)
        }

        var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

        /// The exit status once it exited within `timeout`; nil (and killed) when it did not.
        func exit(within timeout: Duration) async -> Int32? {
            if await LabTestSupport.waitUntil(timeout, { !process.isRunning }) { return process.terminationStatus }
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
    }

    /// The pids of lab brokers running with `--dir directory`, from /proc.
    static func labBrokers(in directory: String) -> [Int32] {
        let needle = Data("lab-broker\0".utf8)
        let dirArgument = Data("--dir\0\(directory)\0".utf8)
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init)
        return pids.filter { pid in
            guard let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return command.range(of: needle) != nil && command.range(of: dirArgument) != nil
        }
    }

    /// Every file under `directory` with its bytes and mtime, to compare before and after.
    static func snapshot(_ directory: String) -> [String: String] {
        var result: [String: String] = [:]
        let names = (FileManager.default.subpaths(atPath: directory) ?? []).sorted()
        for name in names {
            let path = directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            let bytes = (info.st_mode & S_IFMT) == S_IFREG ? (FileManager.default.contents(atPath: path)?.base64EncodedString() ?? "?") : "mode \(info.st_mode)"
            result[name] = "\(bytes) mtime \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }
        return result
    }

    private func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "amqtop-labsafety-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aDirectoryItDidNotMakeIsRefusedAndLeftAsItWas() async throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // A KahaDB-like directory: a user's amqtop.yaml and a lock file another process holds.
        let kahadb = root + "/kahadb"
        try FileManager.default.createDirectory(atPath: kahadb, withIntermediateDirectories: true)
        try "groups: []  # the user's own\n".write(toFile: kahadb + "/amqtop.yaml", atomically: true, encoding: .utf8)
        try Data([0, 0, 1, 0x8f, 0, 0, 0, 1]).write(to: URL(fileURLWithPath: kahadb + "/lock"))
        let lockFD = open(kahadb + "/lock", O_RDWR)
        defer { close(lockFD) }
        var request = flock()
        request.l_type = Int16(F_WRLCK)
        request.l_whence = Int16(SEEK_SET)
        #expect(fcntl(lockFD, F_SETLK, &request) == 0, "the test could not hold the foreign lock")
        try FileManager.default.createDirectory(atPath: kahadb + "/db-1.log.d", withIntermediateDirectories: true)

        let notes = root + "/notes"
        try FileManager.default.createDirectory(atPath: notes, withIntermediateDirectories: true)
        try "todo\n".write(toFile: notes + "/todo.txt", atomically: true, encoding: .utf8)
        let hidden = root + "/hidden"
        try FileManager.default.createDirectory(atPath: hidden, withIntermediateDirectories: true)
        try "x".write(toFile: hidden + "/.profile", atomically: true, encoding: .utf8)
        let plainFile = root + "/file"
        try "not a directory\n".write(toFile: plainFile, atomically: true, encoding: .utf8)
        let empty = root + "/empty-target"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let link = root + "/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: empty)
        // A lab directory whose owner still runs (this test process, its real start time).
        let busy = root + "/busy"
        try FileManager.default.createDirectory(atPath: busy, withIntermediateDirectories: true)
        let myStart = try #require(LabDirectory.startTime(of: getpid()))
        try "pid \(getpid())\nstart \(myStart)\n".write(toFile: busy + "/" + LabDirectory.markerName, atomically: true, encoding: .utf8)

        let cases: [(String, String)] = [
            (kahadb, "was not made by amqtop lab"), (notes, "was not made by amqtop lab"), (hidden, "was not made by amqtop lab"),
            (plainFile, "is not a directory"), (link, "is not a directory"), (busy, "in use by another amqtop lab (pid \(getpid()))"),
        ]
        for (directory, words) in cases {
            let before = Self.snapshot(directory)
            let fileBefore = try? String(contentsOfFile: directory, encoding: .utf8)
            let lab = try Lab(["--brokers", "2", "--dir", directory])
            let status = await lab.exit(within: .seconds(20))
            #expect(status != nil && status != 0, "\(directory): exit \(String(describing: status))")
            #expect(lab.stderr.contains(words), "\(directory): \(lab.stderr)")
            #expect(Self.snapshot(directory) == before, "\(directory) was changed")
            #expect((try? String(contentsOfFile: directory, encoding: .utf8)) == fileBefore)
            #expect(Self.labBrokers(in: URL(fileURLWithPath: directory).standardizedFileURL.path).isEmpty, "\(directory): brokers started")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty).isEmpty, "the symlink was followed")
        #expect(try String(contentsOfFile: kahadb + "/amqtop.yaml", encoding: .utf8) == "groups: []  # the user's own\n")
    }

    @Test func anEmptyDirectoryAndItsOwnFromAnEarlierRunAreUsed() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for round in 1...2 {
            let lab = try Lab(["--brokers", "1", "--dir", directory, "--lock-acquire-interval", "500ms"])
            let started = await LabTestSupport.waitUntil(.seconds(20)) {
                FileManager.default.fileExists(atPath: directory + "/lab1.pid") && LabDirectory.owner(of: directory)?.pid == lab.process.processIdentifier
            }
            #expect(started, "round \(round): \(lab.stderr)")
            kill(lab.process.processIdentifier, SIGTERM)
            #expect(await lab.exit(within: .seconds(20)) == 0, "round \(round): \(lab.stderr)")
            #expect(await LabTestSupport.waitUntil(.seconds(10)) { Self.labBrokers(in: directory).isEmpty })
            try? FileManager.default.removeItem(atPath: directory + "/lab1.pid")
        }
    }

    @Test func brokerCountsOutsideOneToThirtyTwoAreRefusedBeforeAnythingStarts() async throws {
        let runtime = try scratch()
        defer { try? FileManager.default.removeItem(atPath: runtime) }
        for count in ["0", "33", "100000", "9223372036854775807"] {
            let lab = try Lab(["--brokers", count], environment: ["XDG_RUNTIME_DIR": runtime])
            let status = await lab.exit(within: .seconds(20))
            #expect(status != nil && status != 0, "--brokers \(count): exit \(String(describing: status))")
            #expect(lab.stderr.contains("--brokers must be between 1 and \(LabGroupOptions.maximumBrokerCount) (got \(count))"), "\(count): \(lab.stderr)")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: runtime + "/amqtop/labs")) ?? []).isEmpty, "\(count): a lab directory was made")
        }
    }

    @Test func aFailedStartStopsTheBrokersAlreadyStarted() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The lab's own directory from an earlier run (this pid, but another start time: a
        // recycled pid is no owner), where lab3's log cannot be opened: lab1 and lab2 start first.
        try "pid \(getpid())\nstart 1\n".write(toFile: directory + "/" + LabDirectory.markerName, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: directory + "/lab3.log", withIntermediateDirectories: true)
        let lab = try Lab(["--brokers", "3", "--dir", directory])
        let status = await lab.exit(within: .seconds(30))
        #expect(status != nil && status != 0, "exit \(String(describing: status)): \(lab.stderr)")
        #expect(lab.stderr.contains("lab3.log"), "\(lab.stderr)")
        // No broker outlives the failed start (they were stopped, not left to notice their parent died).
        #expect(Self.labBrokers(in: directory).isEmpty, "brokers left running: \(Self.labBrokers(in: directory))")
    }

    @Test func aLabKilledWithSIGKILLLeavesItsDirectoryOnlyUntilTheNextStart() async throws {
        let runtime = try scratch()
        defer { try? FileManager.default.removeItem(atPath: runtime) }
        let labs = runtime + "/amqtop/labs"
        let environment = ["XDG_RUNTIME_DIR": runtime]
        func labDirectory(of pid: Int32) -> String? {
            ((try? FileManager.default.contentsOfDirectory(atPath: labs)) ?? []).map { labs + "/" + $0 }.first {
                LabDirectory.owner(of: $0)?.pid == pid && FileManager.default.fileExists(atPath: $0 + "/amqtop.yaml")
            }
        }
        let first = try Lab(["--brokers", "1"], environment: environment)
        var firstDirectory: String?
        #expect(await LabTestSupport.waitUntil(.seconds(20)) {
            firstDirectory = labDirectory(of: first.process.processIdentifier)
            return firstDirectory != nil
        }, "\(first.stderr)")
        let killed = try #require(firstDirectory)
        // Beside it: a directory that is not a lab's, and a lab directory whose owner runs.
        try FileManager.default.createDirectory(atPath: labs + "/unmarked", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: labs + "/alive", withIntermediateDirectories: true)
        let myStart = try #require(LabDirectory.startTime(of: getpid()))
        try "pid \(getpid())\nstart \(myStart)\n".write(toFile: labs + "/alive/" + LabDirectory.markerName, atomically: true, encoding: .utf8)

        kill(first.process.processIdentifier, SIGKILL)
        _ = await first.exit(within: .seconds(10))
        #expect(await LabTestSupport.waitUntil(.seconds(10)) { Self.labBrokers(in: killed).isEmpty }, "brokers \(Self.labBrokers(in: killed)) outlived their launcher")
        #expect(FileManager.default.fileExists(atPath: killed), "kill -9 left nothing to clean: the test proves nothing")

        let second = try Lab(["--brokers", "1"], environment: environment)
        #expect(await LabTestSupport.waitUntil(.seconds(20)) { labDirectory(of: second.process.processIdentifier) != nil }, "\(second.stderr)")
        #expect(!FileManager.default.fileExists(atPath: killed), "the killed lab's directory is still there")
        #expect(FileManager.default.fileExists(atPath: labs + "/unmarked"))
        #expect(FileManager.default.fileExists(atPath: labs + "/alive"))
        kill(second.process.processIdentifier, SIGTERM)
        #expect(await second.exit(within: .seconds(20)) == 0, "\(second.stderr)")
    }
}
