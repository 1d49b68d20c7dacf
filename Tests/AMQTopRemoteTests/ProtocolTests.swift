import AMQTopCore
import AMQTopProbes
import Foundation
import Testing
@testable import AMQTopRemote

/// Quoting, framing, ssh error classification, the remote parsers and the lock merge, as pure functions.
struct ProtocolTests {
    @Test(arguments: ["plain", "a b", "it's", "$(touch /tmp/x)", "`id`", "a\nb", "\\", "'", "''", "-rf", "*", ""])
    func quotedValueComesBackVerbatimFromARealShell(_ value: String) throws {
        let word = try #require(ShellQuote.quote(value))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "printf '%s' \(word)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(String(decoding: data, as: UTF8.self) == value)
    }

    @Test func nulIsRefused() {
        #expect(ShellQuote.quote("a\u{0}b") == nil)
        #expect(ShellQuote.command(["ok", "a\u{0}"]) == nil)
        #expect(ShellQuote.command(["kill", "-TERM", "1 2"]) == "'kill' '-TERM' '1 2'")
    }

    @Test func framesAreSplitByNonceAndOrder() throws {
        var decoder = FrameDecoder(nonce: "n0nce")
        // A reply without a trailing newline, one split across reads, one with a fake marker (wrong nonce).
        var frames = try decoder.append(Data("abc\nn0nce:1:0\n\nxx".utf8))
        #expect(frames == [FrameDecoder.Frame(id: 1, status: 0, output: Data("abc".utf8))])
        frames = try decoder.append(Data("\nother:2:0\nmore\nn0nce:2:".utf8))
        #expect(frames.isEmpty)
        frames = try decoder.append(Data("3\n".utf8))
        #expect(frames == [FrameDecoder.Frame(id: 2, status: 3, output: Data("\nxx\nother:2:0\nmore".utf8))])
        #expect(throws: FrameDecoder.FrameError.malformed) { _ = try decoder.append(Data("\nn0nce:x:y\n".utf8)) }
    }

    @Test func framedScriptRunsInARealShell() throws {
        let decoder = FrameDecoder(nonce: FrameDecoder.makeNonce())
        #expect(decoder.nonce.count == 32)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let script = decoder.frame(script: "printf 'out'; echo err >&2; read x; echo \"read:$x\"; false", id: 7)
            + decoder.frame(script: "echo second", id: 8)
        try input.fileHandleForWriting.write(contentsOf: Data((script + ": not-for-read\n").utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var copy = decoder
        let frames = try copy.append(data)
        // stdin is /dev/null inside a request: `read` gets nothing, the next request is not eaten.
        #expect(frames.map(\.id) == [7, 8])
        #expect(String(decoding: frames[0].output, as: UTF8.self) == "outerr\nread:\n")
        #expect(frames[0].status == 1)
        #expect(String(decoding: frames[1].output, as: UTF8.self) == "second\n")
    }

    @Test func sshErrorsAreClassified() {
        let changed = """
            @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
            @    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @
            Offending ED25519 key in /home/op/.ssh/known_hosts:3
            Host key for amq1 has changed and you have requested strict checking.
            Host key verification failed.
            """
        #expect(SSHErrorClassifier.classify(stderr: changed, exitStatus: 255).code == "hostKeyChanged")
        #expect(SSHErrorClassifier.classify(stderr: "No ED25519 host key is known for amq1 and you have requested strict checking.\nHost key verification failed.\n", exitStatus: 255).code == "hostKeyUnknown")
        #expect(SSHErrorClassifier.classify(stderr: "amq@amq1: Permission denied (publickey).\n", exitStatus: 255).code == "authFailed")
        #expect(SSHErrorClassifier.classify(stderr: "ssh: connect to host 10.213.0.2 port 22: Connection refused\n", exitStatus: 255).code == "unreachable")
        #expect(SSHErrorClassifier.classify(stderr: "ssh: connect to host 10.213.0.9 port 22: Connection timed out\n", exitStatus: 255).code == "timedOut")
        #expect(SSHErrorClassifier.classify(stderr: "ssh: Could not resolve hostname nope: Name or service not known\n", exitStatus: 255).code == "unreachable")
        #expect(SSHErrorClassifier.classify(stderr: "", exitStatus: 255) == .failed("ssh exited with status 255"))
    }

    @Test func commandLineForcesBatchModeAndEndsOptions() {
        let line = SSHCommandLine(destination: "amq@amq1", configFile: "/c", connectTimeoutSeconds: 2,
                                  forwards: [.init(socketPath: "/d/0.sock", host: "::1", port: 8161)])
        let args = line.arguments
        #expect(args.prefix(2) == ["-F", "/c"])
        #expect(args.contains("BatchMode=yes"))
        #expect(!args.contains { $0.hasPrefix("StrictHostKeyChecking") })
        #expect(args.contains("/d/0.sock:[::1]:8161"))
        #expect(args.suffix(3) == ["--", "amq@amq1", "exec /bin/sh"])
    }

    @Test func pidAndPortAnswersAreParsed() {
        #expect(RemoteParsers.process("alive 1234\n", host: "h", atMillis: 1) == ProcessObservation(atMillis: 1, pid: 1234, state: .alive, host: "h"))
        #expect(RemoteParsers.process("dead 9\n", host: "h", atMillis: 1).state == .dead)
        #expect(RemoteParsers.process("nopid\n", host: "h", atMillis: 1).state == .noPidFile)
        #expect(RemoteParsers.process("notapid\n", host: "h", atMillis: 1).state == .unreadable("no pid in the file"))
        let tables = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1FE1 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1
               1: 0100007F:F0F1 0100007F:1FE1 01 00000000:00000000 00:00000000 00000000     0        0 2 1
            """
        #expect(RemoteParsers.listens(tables, port: 8161))
        #expect(!RemoteParsers.listens(tables, port: 61681)) // F0F1 is an established socket, not LISTEN
    }

    @Test func lockViewIsParsedAndHolderMatchedByDeviceAndInode() {
        // Device 65024 = 0xfe00 → major 0xfe, minor 0 in /proc/locks.
        let text = """
            stat 8 1733040000.123456789 65024 611 regular file
            bytes 00 00 01 93 7f 8b 2c 00
            fstype ef53
            mount nfs /mnt/san\\x20a rw,relatime,vers=3,hard,proto=tcp
            getlk 1 0
            locks
            1: POSIX  ADVISORY  WRITE 4321 fe:00:611 0 EOF
            2: POSIX  ADVISORY  WRITE 99 fe:00:612 0 EOF
            3: POSIX  ADVISORY  WRITE 77 fe:00:611 0 EOF -> waiting
            """
        let view = RemoteParsers.lockView(text, host: "amq1")
        #expect(view.state == .ok)
        #expect(view.mtimeNanos == 1_733_040_000_123_456_789)
        #expect(view.inode == 611)
        #expect(view.holders == [4321])
        #expect(view.filesystem == FilesystemInfo(type: "nfs", mountPoint: "/mnt/san a", nfsVersion: "3", options: "rw,relatime,vers=3,hard,proto=tcp"))
        #expect(view.filesystem?.kind == .nfs3)
        #expect(view.getLock?.held == true)
        #expect(view.bytes.flatMap { LockFileSnapshot.decodeTimestamp($0) } == 0x0000_0193_7f8b_2c00)
        #expect(RemoteParsers.lockView("staterr stat: cannot statx '/x': No such file or directory\nlocks\n", host: "h").state == .missing)
        #expect(RemoteParsers.lockView("staterr stat: cannot statx '/x': Stale file handle\nlocks\n", host: "h").state == .staleHandle)
    }

    @Test func mergeNamesHolderHostAndDisagreements() {
        let bytes: [UInt8] = [0, 0, 1, 0x93, 0, 0, 0, 1]
        let a = RemoteParsers.LockView(host: "amq1", state: .ok, size: 8, mtimeNanos: 5, device: 1, inode: 2, bytes: bytes, holders: [])
        var b = a
        b.host = "amq2"
        b.holders = [42]
        let merged = LockMerger.merge(path: "/l", atMillis: 0, views: [a, b], unreachable: [:])
        #expect(merged.snapshot.holder == .pid(42))
        #expect(merged.snapshot.holderHost == "amq2")
        #expect(merged.disagreement == nil)
        #expect(LockMerger.merge(path: "/l", atMillis: 0, views: [a], unreachable: [:]).snapshot.holder == .free)
        let hidden = LockMerger.merge(path: "/l", atMillis: 0, views: [a], unreachable: ["amq3": "Connection refused"])
        #expect(hidden.snapshot.holder.code == "unknown")
        var stale = a
        stale.host = "amq3"
        stale.mtimeNanos = 4
        stale.bytes = [0, 0, 1, 0x93, 0, 0, 0, 0]
        let disagreeing = LockMerger.merge(path: "/l", atMillis: 0, views: [a, stale], unreachable: [:])
        #expect(disagreeing.disagreement == "amq3 and amq1 see different timestamp bytes, mtime")
        // The comparison travels on the snapshot, where the alert rules read it.
        #expect(disagreeing.snapshot.views == LockViews(hosts: ["amq1", "amq3"], disagreement: "amq3 and amq1 see different timestamp bytes, mtime"))
        #expect(merged.snapshot.views == LockViews(hosts: ["amq1", "amq2"]))
    }

    /// Held as every host sees it, listed by none: `heldUnlisted` (STUCK_LOCK's input) only when every host answered.
    @Test func heldUnlistedOnlyWhenEveryHostAnswered() {
        var a = RemoteParsers.LockView(host: "amq1", state: .ok, size: 8, mtimeNanos: 5, device: 1, inode: 2, bytes: [0, 0, 1, 0x93, 0, 0, 0, 1], holders: [])
        a.getLock = (held: true, pid: 0)
        var b = a
        b.host = "amq2"
        let everyone = LockMerger.merge(path: "/l", atMillis: 0, views: [a, b], unreachable: [:])
        #expect(everyone.snapshot.holder == .elsewhere)
        #expect(everyone.snapshot.views?.heldUnlisted?.contains("amq1, amq2") == true, "\(String(describing: everyone.snapshot.views))")
        let oneAway = LockMerger.merge(path: "/l", atMillis: 0, views: [a, b], unreachable: ["amq3": "Connection refused"])
        #expect(oneAway.snapshot.views?.heldUnlisted == nil)
        #expect(oneAway.snapshot.holder.code == "unknown")
    }

    @Test func socketURLKeepsPathAndQuery() {
        #expect(ForwardedJolokiaProbe.socketURL("http://127.0.0.1:8161/api/jolokia", socketPath: "/tmp/d/0.sock")
            == "http+unix://%2Ftmp%2Fd%2F0%2Esock/api/jolokia")
    }
}
