"""Shared pieces of the amqtop benchmarks: ptys, /proc sampling, lab groups, the fake fleet.

Stdlib only. Every process started here is started in its own session and stopped by
its own process group id (never by name), also when a benchmark fails.
"""
import atexit
import fcntl
import json
import os
import re
import shutil
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

    def __init__(self, binary, workdir, brokers=3, respawn="3s", wrap=(), name="lab"):
        """`wrap` prefixes the command (e.g. `ip netns exec NS`): brokers then listen on that
        namespace's loopback, which Jolokia checks from here cannot reach (they are skipped)."""
        self.wrap = list(wrap)
        self.dir = os.path.join(workdir, name)
        self.log = open(os.path.join(workdir, name + ".out"), "w")
        self.proc = spawn(self.wrap + [binary, "lab", "--brokers", str(brokers), "--dir", self.dir, "--respawn", respawn,
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
                    and (self.wrap or jolokia_slave(self.urls[m], m) is False):
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


# ---------------------------------------------------------------- real ActiveMQ Classic (Debian's 5.17)

AMQ_HOME = "/usr/share/activemq"
AMQ_JARS = ["jolokia-core", "json-simple", "jetty9-server", "jetty9-servlet", "jetty9-http", "jetty9-io",
            "jetty9-util", "jetty9-security", "servlet-api"]
JAVA_FLAGS = [
    "--add-reads=java.xml=java.logging",
    "--add-opens", "java.base/java.security=ALL-UNNAMED", "--add-opens", "java.base/java.net=ALL-UNNAMED",
    "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.util=ALL-UNNAMED",
    "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
    "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
    "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
    "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
    "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
    "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
    "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
    "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
]

AMQ_XML = """<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by amqtop's Benchmarks/benchlib.py (Jolokia before the broker: slaves answer Slave=true). -->
<beans xmlns="http://www.springframework.org/schema/beans"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans.xsd
  http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">
  <bean id="jolokiaServer" class="org.eclipse.jetty.server.Server" init-method="start" destroy-method="stop">
    <constructor-arg><bean class="java.net.InetSocketAddress">
      <constructor-arg value="127.0.0.1"/><constructor-arg value="{jport}" type="int"/></bean></constructor-arg>
    <property name="handler"><bean class="org.eclipse.jetty.servlet.ServletContextHandler">
      <property name="contextPath" value="/api"/>
      <property name="servletHandler"><bean class="org.eclipse.jetty.servlet.ServletHandler">
        <property name="servlets"><list><bean class="org.eclipse.jetty.servlet.ServletHolder">
          <constructor-arg value="jolokia"/>
          <constructor-arg value="org.jolokia.http.AgentServlet" type="java.lang.Class"/></bean></list></property>
        <property name="servletMappings"><list><bean class="org.eclipse.jetty.servlet.ServletMapping">
          <property name="servletName" value="jolokia"/><property name="pathSpec" value="/jolokia/*"/></bean></list></property>
      </bean></property>
    </bean></property>
  </bean>
  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="{name}" useJmx="true" persistent="true"
          schedulerSupport="false" dataDirectory="{data}">
    <managementContext><managementContext createConnector="false"/></managementContext>
    <persistenceAdapter>
      <kahaDB directory="{shared}" lockKeepAlivePeriod="2000">
        <locker><shared-file-locker lockAcquireSleepInterval="1000"/></locker>
      </kahaDB>
    </persistenceAdapter>
    <systemUsage><systemUsage>
      <memoryUsage><memoryUsage limit="32 mb"/></memoryUsage>
      <storeUsage><storeUsage limit="256 mb"/></storeUsage>
      <tempUsage><tempUsage limit="64 mb"/></tempUsage>
    </systemUsage></systemUsage>
    <transportConnectors><transportConnector name="openwire" uri="tcp://127.0.0.1:{oport}"/></transportConnectors>
  </broker>
</beans>
"""

LOG4J = """log4j.rootLogger=INFO, logfile
log4j.logger.org.springframework=WARN
log4j.logger.org.eclipse.jetty=WARN
log4j.appender.logfile=org.apache.log4j.FileAppender
log4j.appender.logfile.file=${activemq.data}/activemq.log
log4j.appender.logfile.layout=org.apache.log4j.PatternLayout
log4j.appender.logfile.layout.ConversionPattern=%d | %-5p | %m | %c | %t%n
"""


def activemq_available():
    return os.path.exists(AMQ_HOME + "/bin/activemq.jar") and shutil_which("java") and all(
        os.path.exists("/usr/share/java/%s.jar" % j) for j in AMQ_JARS)


def shutil_which(name):
    import shutil
    return shutil.which(name)


def free_ports(n):
    import socket
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


class ActiveMQGroup:
    """Three real ActiveMQ Classic brokers on one KahaDB directory (lockKeepAlivePeriod 2 s,
    lockAcquireSleepInterval 1 s), Jolokia served before the broker. Same interface as Lab;
    a killed broker is restarted by wait_steady()."""

    def __init__(self, workdir, brokers=3, heap_mb=192):
        self.dir = os.path.join(workdir, "amq")
        self.shared = os.path.join(self.dir, "shared")
        os.makedirs(self.shared, exist_ok=True)
        self.lock = os.path.join(self.shared, "lock")
        self.names = ["amq%d" % i for i in range(1, brokers + 1)]
        self.heap_mb = heap_mb
        ports = free_ports(2 * brokers)
        self.jports = dict(zip(self.names, ports[0::2]))
        self.oports = dict(zip(self.names, ports[1::2]))
        self.urls = {n: "http://127.0.0.1:%d/api/jolokia" % self.jports[n] for n in self.names}
        self.procs = {}
        yaml = ["poll: 1s", "lockPoll: 250ms", "timeout: 2s", "groups:", "  - name: amq",
                "    lockFile: %s" % self.lock, "    lockKeepAlivePeriod: 2s", "    lockAcquireSleepInterval: 1s",
                "    brokers:"]
        for n in self.names:
            base = os.path.join(self.dir, n)
            for sub in ("conf", "data", "lib"):
                os.makedirs(os.path.join(base, sub), exist_ok=True)
            with open(os.path.join(base, "conf", "activemq.xml"), "w") as f:
                f.write(AMQ_XML.replace("{jport}", str(self.jports[n])).replace("{oport}", str(self.oports[n]))
                        .replace("{name}", n).replace("{data}", os.path.join(base, "data"))
                        .replace("{shared}", self.shared))
            with open(os.path.join(base, "conf", "log4j.properties"), "w") as f:
                f.write(LOG4J)
            for j in AMQ_JARS:
                link = os.path.join(base, "lib", j + ".jar")
                if not os.path.exists(link):
                    os.symlink("/usr/share/java/%s.jar" % j, link)
            yaml += ["      - name: %s" % n, "        jolokia: %s" % self.urls[n],
                     "        openwire: tcp://127.0.0.1:%d" % self.oports[n],
                     "        pidFile: %s" % os.path.join(base, "broker.pid")]
        self.config = os.path.join(self.dir, "amqtop.yaml")
        with open(self.config, "w") as f:
            f.write("\n".join(yaml) + "\n")
        for n in self.names:
            self.start(n)
            time.sleep(1.0)  # the first one takes the lock
        deadline = time.time() + 90
        while time.time() < deadline and not self.master():
            time.sleep(0.2)
        if not self.master():
            raise RuntimeError("real ActiveMQ group elected no master in 90 s (logs under %s)" % self.dir)

    def start(self, n):
        base = os.path.join(self.dir, n)
        argv = ["java", "-Xmx%dm" % self.heap_mb] + JAVA_FLAGS + [
            "-Dactivemq.home=" + AMQ_HOME, "-Dactivemq.base=" + base, "-Dactivemq.conf=" + base + "/conf",
            "-Dactivemq.data=" + base + "/data", "-Dactivemq.classpath=" + base + "/conf",
            "-jar", AMQ_HOME + "/bin/activemq.jar", "start", "xbean:file:" + base + "/conf/activemq.xml"]
        out = open(os.path.join(base, "stdout.log"), "a")
        p = spawn(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=base)
        out.close()
        with open(os.path.join(base, "broker.pid"), "w") as f:
            f.write("%d\n" % p.pid)
        self.procs[n] = p

    def pid(self, n):
        p = self.procs.get(n)
        return p.pid if p is not None and p.poll() is None else None

    def master(self):
        holder = lock_holder_pid(self.lock)
        for n in self.names:
            if holder is not None and self.pid(n) == holder:
                return n
        return None

    def all_alive(self):
        return all(self.pid(n) for n in self.names)

    def wait_steady(self, min_tenure=6.0, timeout=120.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for n in self.names:
                if self.pid(n) is None:
                    p = self.procs.get(n)
                    if p is not None:
                        stop(p)
                    self.start(n)
            m = self.master()
            ts = lock_timestamp_ms(self.lock)
            if m and ts and time.time() - ts / 1000.0 >= min_tenure and jolokia_slave(self.urls[m], m) is False \
                    and all(jolokia_slave(self.urls[n], n) is True for n in self.names if n != m):
                return m, ts
            time.sleep(0.3)
        raise RuntimeError("real ActiveMQ group not steady after %.0f s" % timeout)

    def kill_master(self):
        m = self.master()
        os.kill(self.pid(m), signal.SIGKILL)
        return m, time.time()

    def close(self):
        for p in self.procs.values():
            stop(p, grace=5.0)


# ---------------------------------------------------------------- a test host with sshd (network namespaces)

def _ip(*args, check=True):
    return subprocess.run(["/usr/sbin/ip"] + list(args), check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class SSHHost:
    """Two network namespaces joined by one veth pair: a client (10.214.0.1) and a server
    (10.214.0.2) running a real sshd. Nothing outside the namespaces gets an address; the
    client side's interface counters are the bytes on the wire. Root only; `close()` (also
    called at exit) kills sshd and deletes both namespaces."""

    CLIENT, SERVER = "10.214.0.1", "10.214.0.2"

    @staticmethod
    def unavailable():
        if os.geteuid() != 0:
            return "not root (network namespaces need it)"
        for tool in ("/usr/sbin/ip", "/usr/sbin/sshd", "/usr/bin/ssh", "/usr/bin/ssh-keygen"):
            if not os.path.exists(tool):
                return "%s is not installed" % tool
        return None

    def __init__(self, workdir):
        tag = "%d" % os.getpid()
        self.client_ns, self.server_ns = "amqtop-bw-c%s" % tag, "amqtop-bw-s%s" % tag
        self.dir = os.path.join(workdir, "sshhost")
        os.makedirs(self.dir, exist_ok=True)
        self.sshd = None
        atexit.register(self.close)
        for ns in (self.client_ns, self.server_ns):
            _ip("netns", "add", ns)
            _ip("-n", ns, "link", "set", "lo", "up")
        _ip("-n", self.client_ns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1", "netns", self.server_ns)
        _ip("-n", self.client_ns, "addr", "add", self.CLIENT + "/24", "dev", "veth0")
        _ip("-n", self.server_ns, "addr", "add", self.SERVER + "/24", "dev", "veth1")
        _ip("-n", self.client_ns, "link", "set", "veth0", "up")
        _ip("-n", self.server_ns, "link", "set", "veth1", "up")
        self.key = os.path.join(self.dir, "id_ed25519")
        self.host_key = os.path.join(self.dir, "host_ed25519")
        for path in (self.key, self.host_key):
            subprocess.run(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", path], check=True)
        shutil.copy(self.key + ".pub", os.path.join(self.dir, "authorized_keys"))
        config = os.path.join(self.dir, "sshd_config")
        with open(config, "w") as f:
            f.write("ListenAddress %s:22\nHostKey %s\nAuthorizedKeysFile %s\nPidFile none\nStrictModes no\nUsePAM no\n"
                    "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n"
                    "PrintMotd no\nPrintLastLog no\nCompression no\nLogLevel ERROR\n"
                    % (self.SERVER, self.host_key, os.path.join(self.dir, "authorized_keys")))
        self.sshd_log = open(os.path.join(self.dir, "sshd.log"), "w")
        self.sshd = spawn(["/usr/sbin/ip", "netns", "exec", self.server_ns, "/usr/sbin/sshd", "-D", "-e", "-f", config],
                          stdout=self.sshd_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline and ":0016 " not in self._server_tcp_listen():
            time.sleep(0.05)

    def _server_tcp_listen(self):
        out = subprocess.run(["/usr/sbin/ip", "netns", "exec", self.server_ns, "cat", "/proc/net/tcp"],
                             capture_output=True, text=True).stdout
        return " ".join(line.split()[1] + " " for line in out.splitlines()[1:] if line.split()[3] == "0A")

    def in_server(self):
        """The prefix that runs a command in the server's namespace (the lab, there)."""
        return ["/usr/sbin/ip", "netns", "exec", self.server_ns]

    def ssh_argv(self, remote_command):
        """`ssh -tt` from the client namespace to the server, running `remote_command` there."""
        return ["/usr/sbin/ip", "netns", "exec", self.client_ns, "/usr/bin/ssh", "-tt", "-F", "/dev/null",
                "-i", self.key, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR", "-o", "Compression=no", "-o", "BatchMode=yes",
                "root@" + self.SERVER, remote_command]

    def wire(self):
        """(bytes, packets) through the client's veth0, both directions, from /proc/net/dev."""
        out = subprocess.run(["/usr/sbin/ip", "netns", "exec", self.client_ns, "cat", "/proc/net/dev"],
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.strip().startswith("veth0:"):
                f = line.split(":", 1)[1].split()
                return int(f[0]) + int(f[8]), int(f[1]) + int(f[9])
        raise RuntimeError("no veth0 in %s" % self.client_ns)

    def close(self):
        if self.sshd is not None:
            stop(self.sshd)
            self.sshd = None
            self.sshd_log.close()
        for ns in (self.client_ns, self.server_ns):
            # Whatever still runs in a namespace (a session's shell, a lab broker) goes with it.
            pids = subprocess.run(["/usr/sbin/ip", "netns", "pids", ns], capture_output=True, text=True).stdout.split()
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
            _ip("netns", "del", ns, check=False)
