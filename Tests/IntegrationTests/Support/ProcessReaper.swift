import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Makes sure no broker JVM outlives the test process, however that process ends.
///
/// Three layers, because each covers a way the others miss:
/// - groups kill their brokers in `stopAll()` (the normal path);
/// - an `atexit` handler SIGKILLs every pid still registered here (a test that kept a
///   shared group running until the process exits, or a group whose test threw);
/// - a per-group watchdog shell polls the test process and, once it is gone (a crash, a
///   SIGKILL from CI's timeout), SIGKILLs the pids in the group's pid files whose command
///   line names that group's directory, so a recycled pid is never hit.
final class ProcessReaper: @unchecked Sendable {
    /// The process-wide registry; registering its `atexit` handler on first use.
    static let shared = ProcessReaper()

    private let lock = NSLock()
    private var pidsByOwner: [String: Set<pid_t>] = [:]
    private var directoriesToRemove: Set<String> = []

    private init() {
        atexit {
            ProcessReaper.shared.reapAll()
        }
    }

    /// Remembers `pid` as started by the group rooted at `owner`.
    func register(_ pid: pid_t, owner: String) {
        lock.withLock { _ = pidsByOwner[owner, default: []].insert(pid) }
    }

    /// Forgets `pid` once it has exited (and been reaped), so a recycled pid is never killed.
    func unregister(_ pid: pid_t, owner: String) {
        lock.withLock { _ = pidsByOwner[owner]?.remove(pid) }
    }

    /// Asks for `directory` to be deleted when the process exits (unless dirs are kept).
    func removeAtExit(_ directory: String) {
        lock.withLock { _ = directoriesToRemove.insert(directory) }
    }

    /// Forgets a directory already removed or handed over.
    func forgetDirectory(_ directory: String) {
        lock.withLock { _ = directoriesToRemove.remove(directory) }
    }

    /// SIGKILLs every pid registered for `owner`; synchronous, usable from `deinit`.
    func killAll(owner: String) {
        let pids = lock.withLock { pidsByOwner[owner] ?? [] }
        for pid in pids {
            kill(pid, SIGKILL)
        }
    }

    /// SIGKILLs everything still registered and deletes the directories asked for.
    func reapAll() {
        let (pids, directories) = lock.withLock {
            (pidsByOwner.values.flatMap { $0 }, directoriesToRemove)
        }
        for pid in pids {
            kill(pid, SIGKILL)
        }
        guard !ActiveMQInstallation.keepDirectories else { return }
        for directory in directories {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// Starts the watchdog shell for the group rooted at `root` and returns it (to be killed by pid).
    ///
    /// A zombie still answers `kill -0`, so the watchdog reads the parent's state from
    /// `/proc` instead. Its stdio goes to /dev/null so that `swift test`, which reads the
    /// test process's output to EOF, never waits for it.
    static func startWatchdog(root: String) throws -> Process {
        let script = """
            parent=$1; root=$2; remove=$3
            alive() { [ -r /proc/$parent/status ] && ! grep -q '^State:[[:space:]]*Z' /proc/$parent/status; }
            while alive; do sleep 1; done
            for file in "$root"/b*/data/activemq.pid; do
              pid=$(cat "$file" 2>/dev/null) || continue
              if tr '\\000' ' ' < /proc/$pid/cmdline 2>/dev/null | grep -q -- "-Dactivemq.base=$root/"; then
                kill -9 "$pid"
              fi
            done
            if [ "$remove" = 1 ]; then sleep 1; rm -rf "$root"; fi
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c", script, "amqtop-itest-watchdog",
            String(getpid()), root, ActiveMQInstallation.keepDirectories ? "0" : "1",
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw HarnessError.launch("watchdog for \(root): \(error)")
        }
        return process
    }
}
