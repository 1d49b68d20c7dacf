import Foundation

/// One running `ssh` process with a remote `/bin/sh` reading amqtop's requests from stdin.
///
/// Requests are pipelined: each is written at once and its reply is matched, in order, by the
/// session's nonce marker (`FrameDecoder`). A request that misses its deadline means the remote
/// shell is stuck (a hung NFS `stat`): the whole session is killed, every pending request fails,
/// and the owner reconnects. Nothing here blocks the caller's thread.
///
/// The first frame is the prelude's own (id 0): whatever the login reaches stdout with before it
/// (a chatty `.bashrc`) is its output and is dropped, so request 1's reply is only request 1's.
/// A request made before `start()` has spawned ssh (the owner publishes a session before
/// starting it, so concurrent first probes can get there first) waits in `unwritten` and is
/// written by `start()` right after the prelude, in id order: every id in `pending` is one the
/// shell has been or will be sent, so an answer out of turn really is a broken stream.
final class HostSession: @unchecked Sendable {
    // All mutable state is guarded by `lock`; @unchecked because the lock, not the type system, makes it safe.
    private let lock = NSLock()
    /// Held from a request's id being taken until its text is written, so requests reach the
    /// shell in id order (replies are matched in order: two runs that took ids 1 and 2 and
    /// wrote 2 first broke the session as "framing lost", seen under load in MultiHostTests).
    /// `start()` holds it from publishing `child` until the prelude and `unwritten` are written.
    /// Separate from `lock`: a write can block on a full pipe, and the reader thread that
    /// drains ssh's output needs `lock`, never this.
    private let writeOrder = NSLock()
    private let host: String
    private let commandLine: SSHCommandLine
    private var child: SpawnedChild?
    private var decoder: FrameDecoder
    /// Requests sent or to be sent, in id order; the prelude's entry (id 0) has no continuation.
    private var pending: [(id: UInt64, started: UInt64, continuation: CheckedContinuation<Result<RemoteReply, RemoteFailure>, Never>?)] = []
    /// Framed requests taken before ssh was spawned (their ids already in `pending`), for `start()`.
    /// Before the fix these were written to no process at all and dropped: the shell's answer to
    /// the next request then came while the dropped one was pending[0] ("framing lost" at a
    /// dashboard's start, when every probe of the first round reaches a new session at once).
    private var unwritten: [String] = []
    private var nextID: UInt64 = 1
    private var stderrText = ""
    private var ended: HostState?
    private var answered = false
    private var stderrClosed = false
    private let onEnd: @Sendable (HostState) -> Void
    private let onFirstReply: @Sendable () -> Void

    /// Commands run once when the shell starts: a fixed locale (ssh's error words are parsed
    /// in English), a plain PATH, and no files created with loose permissions.
    static let prelude = "export LC_ALL=C; PATH=/usr/bin:/bin:/usr/sbin:/sbin:$PATH; export PATH; umask 077\n"

    init(host: String, commandLine: SSHCommandLine, onFirstReply: @escaping @Sendable () -> Void, onEnd: @escaping @Sendable (HostState) -> Void) {
        self.host = host
        self.decoder = FrameDecoder(nonce: FrameDecoder.makeNonce())
        self.onEnd = onEnd
        self.onFirstReply = onFirstReply
        self.commandLine = commandLine
    }

    /// The prelude as framed request 0 (its output, a login script's noise, is dropped).
    private static let preludeID: UInt64 = 0

    /// Starts ssh; false (with the session ended) when the executable cannot run or the session already ended.
    func start() -> Bool {
        if lock.withLock({ ended != nil }) { return false }
        var environment = ProcessInfo.processInfo.environment
        // Belt and braces with BatchMode: never start an askpass program either.
        environment["SSH_ASKPASS_REQUIRE"] = "never"
        environment.removeValue(forKey: "DISPLAY")
        let child: SpawnedChild
        do {
            child = try SpawnedChild(
                executable: commandLine.executable, arguments: [commandLine.executable] + commandLine.arguments, environment: environment)
        } catch let error as SpawnError {
            finish(.failed(error.message))
            return false
        } catch {
            finish(.failed("cannot run \(commandLine.executable)"))
            return false
        }
        // One blocking reader thread per pipe (not FileHandle.readabilityHandler, whose dispatch
        // source crashed libdispatch when a session ended while it was armed: SIGSEGV in
        // _dispatch_event_loop_drain at the end of `status`). stdout's EOF is the end of every
        // session, whatever ended it.
        SpawnedChild.readUntilEOF(child.stdoutFD, name: "amqtop-ssh-out") { [weak self] data in
            guard let self else { return }
            if let data { self.received(data) } else { self.endAfterOutputClosed() }
        }
        SpawnedChild.readUntilEOF(child.stderrFD, name: "amqtop-ssh-err") { [weak self] data in
            guard let self else { return }
            self.lock.withLock {
                guard let data else { self.stderrClosed = true; return }
                self.stderrText += String(decoding: data, as: UTF8.self)
                if self.stderrText.utf8.count > 16_384 { self.stderrText = String(self.stderrText.suffix(8192)) }
            }
        }
        // `child` is published under writeOrder and with the prelude and the early requests
        // written before it is released: a run() that sees a child finds them all sent already.
        writeOrder.lock()
        let queued: [String]? = lock.withLock {
            self.child = child
            // Ended while ssh was being spawned (kill() found no child to kill): it goes now.
            guard ended == nil else { return nil }
            pending.insert((Self.preludeID, DispatchTime.now().uptimeNanoseconds, nil), at: 0)
            defer { unwritten.removeAll() }
            return unwritten
        }
        guard let queued else {
            writeOrder.unlock()
            child.closeInput()
            child.kill()
            return false
        }
        write(decoder.frame(script: Self.prelude, id: Self.preludeID))
        for text in queued { write(text) }
        writeOrder.unlock()
        return true
    }

    /// Runs `script` on the host; the reply, or the failure that ended the session.
    func run(_ script: String, timeoutMillis: Int64) async -> Result<RemoteReply, RemoteFailure> {
        await withCheckedContinuation { continuation in
            writeOrder.lock()
            let (id, text): (UInt64?, String?) = lock.withLock {
                if let ended { continuation.resume(returning: .failure(RemoteFailure(host: host, state: ended))); return (nil, nil) }
                let id = nextID
                nextID += 1
                pending.append((id, DispatchTime.now().uptimeNanoseconds, continuation))
                let text = decoder.frame(script: script, id: id)
                // Not spawned yet: start() writes it after the prelude (it takes writeOrder after us).
                guard child != nil else { unwritten.append(text); return (id, nil) }
                return (id, text)
            }
            if let text { write(text) }
            writeOrder.unlock()
            guard let id else { return }
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(max(1, timeoutMillis)))) { [weak self] in
                guard let self else { return }
                let stillPending = self.lock.withLock { self.pending.contains { $0.id == id } }
                if stillPending {
                    self.kill(because: .timedOut("no answer within \(timeoutMillis) ms (host or its filesystem hung?)"))
                }
            }
        }
    }

    /// The ids of the requests sent or waiting to be sent, in order (for tests: a request made
    /// before `start()` is pending before the shell exists).
    var pendingIDs: [UInt64] { lock.withLock { pending.map(\.id) } }

    /// Ends the session: every pending request fails with `state`, ssh is killed.
    func kill(because state: HostState) {
        finish(state)
        let child = lock.withLock { self.child }
        child?.closeInput()
        // SIGKILL, not SIGTERM: ssh may have been started ignoring nothing, but a hung one must go now.
        child?.kill()
    }

    /// Closes stdin so the remote shell exits, then kills ssh if it lingers.
    func close() {
        finish(.closed)
        let child = lock.withLock { self.child }
        child?.closeInput()
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(500)) { child?.kill() }
    }

    /// Waits (bounded) for ssh to exit, so a finished `status` leaves no child behind.
    func waitUntilExited(timeoutMillis: Int64) async {
        guard let child = lock.withLock({ self.child }) else { return }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeoutMillis) * 1_000_000
        while child.isRunning, DispatchTime.now().uptimeNanoseconds < deadline {
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        child.kill()
    }

    /// After stdout's EOF: waits (up to 1 s) for stderr's EOF, then ends with ssh's words.
    private func endAfterOutputClosed() {
        let deadline = DispatchTime.now().uptimeNanoseconds + 1_000_000_000
        while !lock.withLock({ stderrClosed }), DispatchTime.now().uptimeNanoseconds < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
        let (stderr, child) = lock.withLock { (stderrText, self.child) }
        finish(SSHErrorClassifier.classify(stderr: stderr, exitStatus: child?.exitStatus))
    }

    private func write(_ text: String) {
        // EPIPE (ssh already gone; SIGPIPE is ignored, see HostPool) is left to the EOF path,
        // which ends the session with ssh's own words (a refused connect, a bad host key);
        // a request written to a session that never ends that way meets its deadline.
        guard let child = lock.withLock({ self.child }) else { return }
        _ = child.write(Data(text.utf8))
    }

    private func received(_ data: Data) {
        var replies: [(CheckedContinuation<Result<RemoteReply, RemoteFailure>, Never>, RemoteReply)] = []
        var broken: String?
        var first = false
        lock.withLock {
            // Output after the end (a killed or closed session's last answers) has nobody to go to.
            guard ended == nil else { return }
            var answers = 0
            do {
                for frame in try decoder.append(data) {
                    guard let next = pending.first, next.id == frame.id else {
                        broken = "an answer to request \(frame.id) while \(pending.first.map { "\($0.id)" } ?? "none") was next"
                        break
                    }
                    let request = pending.removeFirst()
                    answers += 1
                    guard let continuation = request.continuation else { continue }
                    let millis = Int64((DispatchTime.now().uptimeNanoseconds - request.started) / 1_000_000)
                    replies.append((continuation, RemoteReply(status: frame.status, output: frame.output, roundTripMillis: millis)))
                }
            } catch FrameDecoder.FrameError.tooLarge {
                broken = "an answer larger than \(FrameDecoder.maxReplyBytes >> 20) MiB"
            } catch {
                broken = "a malformed end marker"
            }
            if answers > 0, !answered { answered = true; first = true }
        }
        if first { onFirstReply() }
        for (continuation, reply) in replies { continuation.resume(returning: .success(reply)) }
        if let broken { kill(because: .failed("the remote shell's output could not be read (framing lost: \(broken))")) }
    }

    private func finish(_ state: HostState) {
        let waiting: [CheckedContinuation<Result<RemoteReply, RemoteFailure>, Never>]? = lock.withLock {
            // The first reason wins: a timeout's kill is also seen later as ssh's exit.
            guard ended == nil else { return nil }
            ended = state
            let waiting = pending.compactMap(\.continuation)
            pending.removeAll()
            unwritten.removeAll()
            return waiting
        }
        guard let waiting else { return }
        // The owner's state first: a caller woken by the failure reads it at once.
        onEnd(state)
        for continuation in waiting { continuation.resume(returning: .failure(RemoteFailure(host: host, state: state))) }
    }
}
