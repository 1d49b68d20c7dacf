import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One process as `/proc/PID/stat` and `/proc/PID/cmdline` describe it, for tests that
/// watch a process they did not start themselves (a dashboard inside a tmux pane).
struct ProcessStat: Sendable, Equatable {
    let pid: pid_t
    let parent: pid_t
    /// The state letter: R, S, D, Z, ...
    let state: Character
    /// User plus system CPU time, in milliseconds.
    let cpuMillis: Int64
    /// The command line's words.
    let commandLine: [String]

    /// Running (not a zombie or dead), as far as /proc can tell.
    var isAlive: Bool { state != "Z" && state != "X" && state != "x" }

    /// The process `pid` now, or nil when it does not exist (any more).
    static func read(_ pid: pid_t) -> ProcessStat? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // The command name in parentheses may hold spaces: the fields start after the last ')'.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is the state (field 3), so field n is fields[n - 3].
        guard fields.count > 12, let state = fields[0].first, let parent = pid_t(fields[1]),
            let user = Int64(fields[11]), let system = Int64(fields[12])
        else { return nil }
        let ticks = Int64(max(1, sysconf(Int32(_SC_CLK_TCK))))
        let words = (FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data())
            .split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return ProcessStat(
            pid: pid, parent: parent, state: state, cpuMillis: (user + system) * 1000 / ticks, commandLine: words)
    }

    /// Every process now running.
    static func all() -> [ProcessStat] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { pid_t($0) }.compactMap(read)
    }

    /// The live descendants of `pid` (children, their children, ...).
    static func descendants(of pid: pid_t) -> [ProcessStat] {
        let table = all().filter(\.isAlive)
        var found: [ProcessStat] = []
        var parents: Set<pid_t> = [pid]
        while true {
            let next = table.filter { parents.contains($0.parent) && !found.contains($0) }
            if next.isEmpty { return found }
            found += next
            parents = Set(next.map(\.pid))
        }
    }

    /// A size line of `/proc/PID/status` in KiB, e.g. `VmRSS` (resident now) or `VmHWM` (peak).
    static func memoryKiB(_ pid: pid_t, _ field: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") })
        else { return nil }
        return line.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap { Int($0) }
    }

    /// Whether `pid` exists and is not a zombie.
    static func isRunning(_ pid: pid_t) -> Bool { read(pid)?.isAlive ?? false }

    /// Whether `pid` still runs a command line containing `text` (a recycled pid does not count).
    static func isRunning(_ pid: pid_t, commandLineContaining text: String) -> Bool {
        guard let process = read(pid), process.isAlive else { return false }
        return process.commandLine.contains { $0.contains(text) }
    }
}
