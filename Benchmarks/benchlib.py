"""Shared pieces of the amqtop benchmarks: ptys, /proc sampling, lab groups, the fake fleet.

Stdlib only. Every process started here is started in its own session and stopped by
its own process group id (never by name), also when a benchmark fails.
"""
import fcntl
import json
import os
import re
import signal
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CLK_TCK = os.sysconf("SC_CLK_TCK")

_started = []  # every Popen we own, stopped by stop_all() at exit


def log(msg):
    print("[bench %s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr, flush=True)


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def stats(values):
    """median, min, max, n of a list (None-safe)."""
    values = [v for v in values if v is not None]
    if not values:
        return {"median": None, "min": None, "max": None, "n": 0}
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


# ---------------------------------------------------------------- processes

def spawn(argv, **kw):
    """Popen in a new session (own process group), remembered for cleanup."""
    p = subprocess.Popen(argv, start_new_session=True, **kw)
    _started.append(p)
    return p


def stop(p, grace=3.0):
    """SIGTERM the process group, then SIGKILL after `grace`; reaps the leader."""
    if p is None:
        return
    if p.poll() is None:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            p.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(p.pid, signal.SIGKILL)  # stragglers of the group (children of the leader)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        p.wait(2)
    except subprocess.TimeoutExpired:
        pass
    if p in _started:
        _started.remove(p)


def stop_all():
    for p in list(_started):
        stop(p, grace=2.0)


def cpu_seconds(pid):
    """utime+stime of a live process, in seconds, from /proc/PID/stat."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def status_kb(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


def group_rss_kb(pgid):
    """Sum of VmRSS over every process of process group `pgid`."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:
                continue
            total += status_kb(int(entry), "VmRSS") or 0
        except (OSError, ValueError, IndexError):
            continue
    return total


# ---------------------------------------------------------------- pty

class PtyRun:
    """A command on its own pty of a fixed size; every byte it writes is timestamped."""

    def __init__(self, argv, cols, rows, env=None, name=""):
        self.name = name or os.path.basename(argv[0])
        self.cols, self.rows = cols, rows
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = dict(os.environ)
        full_env.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
                         "COLUMNS": str(cols), "LINES": str(rows)})
        full_env.pop("NO_COLOR", None)
        if env:
            full_env.update(env)

        def controlling_tty():
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.t_exec = time.time()
        self.proc = spawn(argv, stdin=slave, stdout=slave, stderr=slave, env=full_env,
                          preexec_fn=controlling_tty, close_fds=True)
        os.close(slave)
        self.master = master
        self.lock = threading.Lock()
        self.chunks = []  # (time, offset, length)
        self.data = bytearray()
        self.closed = False
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        import select
        while not self.closed:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.2)
            except (OSError, ValueError):
                break
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            if not chunk:
                break
            now = time.time()
            with self.lock:
                self.chunks.append((now, len(self.data), len(chunk)))
                self.data += chunk

    def send(self, text):
        os.write(self.master, text.encode() if isinstance(text, str) else text)

    def bytes_between(self, t0, t1):
        with self.lock:
            return sum(n for (t, _, n) in self.chunks if t0 <= t < t1)

    def per_second(self, t0, t1):
        """Bytes in each whole second of [t0, t1)."""
        buckets = []
        t = t0
        while t + 1.0 <= t1 + 1e-9:
            buckets.append(self.bytes_between(t, t + 1.0))
            t += 1.0
        return buckets

    def first_match(self, pattern, after_offset=0):
        """Time of the chunk in which `pattern` (bytes regex) first matches past `after_offset`."""
        with self.lock:
            m = re.compile(pattern).search(bytes(self.data), after_offset)
            if not m:
                return None, None
            for (t, off, n) in self.chunks:
                if off + n >= m.end():
                    return t, m.end()
        return None, None

    def wait_match(self, pattern, timeout, after_offset=0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            t, end = self.first_match(pattern, after_offset)
            if t is not None:
                return t, end
            if self.proc.poll() is not None:
                break
            time.sleep(0.01)
        return None, None

    def close(self):
        stop(self.proc)
        self.closed = True
        self.reader.join(1.0)
        try:
            os.close(self.master)
        except OSError:
            pass


# ---------------------------------------------------------------- lab group (real lab broker processes)

def lock_timestamp_ms(path):
    try:
        with open(path, "rb") as f:  # read-only, never locked or written
            raw = f.read(8)
        if len(raw) == 8:
            return struct.unpack(">q", raw)[0]
    except OSError:
        pass
    return None


def lock_holder_pid(path):
    """The pid holding a POSIX write lock on `path`, via F_GETLK on a read-only descriptor."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        req = struct.pack("hh4xqqi4x", fcntl.F_WRLCK, 0, 0, 0, 0)
        res = fcntl.fcntl(fd, fcntl.F_GETLK, req)
        ltype, _, _, _, pid = struct.unpack("hh4xqqi4x", res)
        return pid if ltype != fcntl.F_UNLCK else None
    finally:
        os.close(fd)  # we hold no lock, so closing releases nothing


def jolokia_slave(url, broker, timeout=0.5):
    """Slave attribute of one broker (True/False), None when it does not answer."""
    import urllib.request
    body = json.dumps({"type": "read", "mbean": "org.apache.activemq:type=Broker,brokerName=%s" % broker,
                       "attribute": "Slave"}).encode()
    try:
        req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            answer = json.loads(r.read())
        if answer.get("status") == 200:
            return bool(answer.get("value"))
    except Exception:
        pass
    return None


class Lab:
    """`amqtop lab` with N brokers (separate processes), killed masters respawned."""

    def __init__(self, binary, workdir, brokers=3, respawn="3s"):
        self.dir = os.path.join(workdir, "lab")
        self.log = open(os.path.join(workdir, "lab.out"), "w")
        self.proc = spawn([binary, "lab", "--brokers", str(brokers), "--dir", self.dir, "--respawn", respawn,
                           "--lock-keep-alive", "2s", "--lock-acquire-interval", "1s"],
                          stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.config = os.path.join(self.dir, "amqtop.yaml")
        self.lock = os.path.join(self.dir, "lock")
        self.names = ["lab%d" % i for i in range(1, brokers + 1)]
        deadline = time.time() + 30
        while time.time() < deadline and not (os.path.exists(self.config) and self.master()):
            time.sleep(0.1)
        if not self.master():
            raise RuntimeError("lab group did not elect a master in 30 s (see %s)" % self.log.name)
        self.urls = dict(re.findall(r"- name: (\S+)\n\s+jolokia: (\S+)", open(self.config).read()))

    def pid(self, name):
        try:
            return int(open(os.path.join(self.dir, name + ".pid")).read().strip())
        except (OSError, ValueError):
            return None

    def master(self):
        holder = lock_holder_pid(self.lock)
        if holder is None:
            return None
        for name in self.names:
            if self.pid(name) == holder:
                return name
        return None

    def all_alive(self):
        for name in self.names:
            pid = self.pid(name)
            if pid is None or not os.path.exists("/proc/%d" % pid):
                return False
        return True

    def wait_steady(self, min_tenure=6.0, timeout=40.0):
        """A master that has held the lock >= min_tenure s, every broker running and answering."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = self.master()
            ts = lock_timestamp_ms(self.lock)
            if m and ts and self.all_alive() and time.time() - ts / 1000.0 >= min_tenure \
                    and jolokia_slave(self.urls[m], m) is False:
                return m, ts
            time.sleep(0.2)
        raise RuntimeError("lab group not steady after %.0f s" % timeout)

    def kill_master(self):
        m = self.master()
        pid = self.pid(m)
        os.kill(pid, signal.SIGKILL)
        return m, time.time()

    def close(self):
        stop(self.proc, grace=5.0)
        self.log.close()


class FakeFleet:
    def __init__(self, workdir, groups=100, per_group=3):
        self.dir = os.path.join(workdir, "fleet")
        self.out = open(os.path.join(workdir, "fleet.out"), "w")
        self.proc = spawn([sys.executable, os.path.join(HERE, "fakefleet.py"), "--dir", self.dir,
                           "--groups", str(groups), "--per-group", str(per_group)],
                          stdout=self.out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.config = os.path.join(self.dir, "amqtop.yaml")
        deadline = time.time() + 30
        while time.time() < deadline:
            if "READY" in open(self.out.name).read():
                break
            if self.proc.poll() is not None:
                raise RuntimeError("fakefleet exited: %s" % open(self.out.name).read())
            time.sleep(0.1)
        else:
            raise RuntimeError("fakefleet not ready in 30 s")
        self.brokers = [line.rstrip("\n").split("\t") for line in open(os.path.join(self.dir, "brokers.tsv"))]

    def requests(self):
        path = os.path.join(self.dir, "requests.txt")
        try:
            os.unlink(path)
        except OSError:
            pass
        os.kill(self.proc.pid, signal.SIGUSR1)
        deadline = time.time() + 3
        while time.time() < deadline:
            try:
                return int(open(path).read().strip())
            except (OSError, ValueError):
                time.sleep(0.02)
        return None

    def close(self):
        stop(self.proc)
        self.out.close()
