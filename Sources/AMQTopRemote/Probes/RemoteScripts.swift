/// The read-only shell snippets amqtop runs on a host, every config value single-quoted.
///
/// Each snippet only reads: `stat`, `od` (opens O_RDONLY), `head`/`tr` on a pid file, `cat`
/// of `/proc` files, `[ -d /proc/PID ]`. Nothing creates, writes, locks, touches or renames a
/// file; the lock file in particular is opened read-only and closed by a process that never
/// held a lock on it. The configured stop is the only command with an effect.
public enum RemoteScripts {
    /// Reads a pid file (at most 64 bytes, blanks removed) and checks `/proc/PID`.
    /// Prints `nopid`, `notapid`, `alive PID` or `dead PID`.
    public static func pid(file: String) -> String? {
        guard let quoted = ShellQuote.quote(file) else { return nil }
        return """
            f=\(quoted); if [ ! -e "$f" ]; then echo nopid; else p=$(head -c 64 < "$f" | tr -d ' \\t\\r\\n'); \
            case "$p" in ''|*[!0-9]*) echo notapid;; *) if [ -d "/proc/$p" ]; then echo "alive $p"; else echo "dead $p"; fi;; esac; fi
            """
    }

    /// The LISTEN lines (state 0A) of the host's TCP socket tables; nothing connects. Filtered
    /// there so a busy host's thousands of connections do not cross the wire every poll.
    public static let tcpTables = "awk '$4 == \"0A\"' /proc/net/tcp /proc/net/tcp6 2>/dev/null"

    /// One lock file's metadata, its first 8 bytes and the host's lock table.
    ///
    /// Prints `stat SIZE MTIME.NS DEV INODE TYPE` (or `staterr MESSAGE`), then, for a regular
    /// file only, `bytes HEX...` (or `byteserr MESSAGE`) and `getlk TYPE PID`; then `fstype HEX`, `mount TYPE TARGET OPTIONS` (findmnt, for the NFS
    /// version), and after a `locks` line the whole `/proc/locks`. Opening a FIFO planted at the
    /// lock's path would block `od` and `perl` until the session's timeout broke the session,
    /// so anything but a regular file is only stat'ed.
    public static func lock(file: String) -> String? {
        guard let quoted = ShellQuote.quote(file) else { return nil }
        return """
            f=\(quoted); if s=$(stat -L -c '%s %.9Y %d %i %F' -- "$f" 2>&1); then echo "stat $s"; \
            case "$s" in *' regular file'|*' regular empty file') \
            if b=$(od -An -v -tx1 -N8 -- "$f" 2>&1); then echo "bytes" $b; else echo "byteserr $b"; fi; \
            if command -v perl >/dev/null 2>&1; then perl -e \(getLockProgram) -- "$f" 2>/dev/null; fi;; esac; \
            t=$(stat -f -L -c '%t' -- "$f" 2>/dev/null) && echo "fstype $t"; \
            if command -v findmnt >/dev/null 2>&1; then m=$(findmnt -rn -o FSTYPE,TARGET,OPTIONS --target "$f" 2>/dev/null) && echo "mount $m"; fi; \
            else echo "staterr $s"; fi; echo locks; cat /proc/locks
            """
    }

    /// `fcntl(F_GETLK)` on a read-only descriptor, in Perl (part of every Debian/RHEL base system):
    /// prints `getlk TYPE PID` (TYPE 2 = unlocked). It asks only; it takes no lock, so closing
    /// the descriptor releases nothing. From another host or pid namespace a held lock reads
    /// as held with pid 0 (or negative on NFSv3), which is how a holder nobody lists is seen.
    /// The `struct flock` layout (short, short, pad, off_t, off_t, pid_t, pad) is the one of
    /// 64-bit Linux (x86_64, aarch64).
    static let getLockProgram = ShellQuote.quote(
        "use Fcntl; open(my $f, \"<\", $ARGV[0]) or exit 3; my $s = pack(\"s s x4 q q i x4\", F_WRLCK, 0, 0, 0, 0); "
            + "fcntl($f, F_GETLK, $s) or exit 4; my ($t, $w, $st, $l, $p) = unpack(\"s s x4 q q i\", $s); print \"getlk $t $p\\n\";")!

    /// SIGTERM to the pid in the pid file, on the host; prints `sent PID`, `nopid`, `notapid` or `dead PID`.
    public static func signalStop(pidFile: String) -> String? {
        guard let quoted = ShellQuote.quote(pidFile) else { return nil }
        return """
            f=\(quoted); if [ ! -e "$f" ]; then echo nopid; else p=$(head -c 64 < "$f" | tr -d ' \\t\\r\\n'); \
            case "$p" in ''|*[!0-9]*) echo notapid;; *) if kill -TERM "$p" 2>/dev/null; then echo "sent $p"; else echo "dead $p"; fi;; esac; fi
            """
    }

    /// The configured stop command, every argument one quoted word, run by the host's shell.
    public static func command(_ arguments: [String]) -> String? {
        guard !arguments.isEmpty, let line = ShellQuote.command(arguments) else { return nil }
        return line
    }
}
