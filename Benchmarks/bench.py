#!/usr/bin/env python3
"""amqtop benchmarks: terminal bandwidth (to a pty, and on the wire through ssh -tt), scale and cost, detection latency, start-up.

    python3 Benchmarks/bench.py --bin PATH/TO/amqtop [--quick] [--only bandwidth,bandwidth_ssh,scale,detection,startup]

Prints a table and writes Benchmarks/results/run-<time>.json and .md. Started by
Benchmarks/run.sh, which builds the release binary first. Stdlib only.
"""
import argparse
import atexit
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import (HERE, ActiveMQGroup, FakeFleet, activemq_available, Lab, PtyRun, SSHHost, cpu_seconds, group_rss_kb, jolokia_slave,  # noqa: E402
                      loadavg, lock_timestamp_ms, log, stats, status_kb, stop, stop_all, spawn)

TIME_RE = rb"\d\d:\d\d:\d\d"


def state_env(work, tag):
    """A private XDG state dir per dashboard, so no history or audit file is shared or kept."""
    d = tempfile.mkdtemp(prefix="state-%s-" % tag, dir=work)
    return {"XDG_STATE_HOME": d, "XDG_CONFIG_HOME": d}


# ================================================================ terminal bandwidth

def bench_bandwidth(binary, work, lab, quick):
    runs = 1 if quick else 3
    idle_s = 8 if quick else 20
    failover_s = 10
    views = [
        ("amqtop 80x24", "amqtop", 80, 24, False),
        ("amqtop 200x60", "amqtop", 200, 60, False),
        ("amqtop 80x24 group view", "amqtop", 80, 24, True),
        ("amqtop 200x60 group view", "amqtop", 200, 60, True),
        ("watch -n1 amqtop status 80x24", "watch", 80, 24, False),
        ("watch -n1 amqtop status 200x60", "watch", 200, 60, False),
    ]
    per_view = {v[0]: {"idle_Bps": [], "idle_per_second_median": [], "failover_Bps": [], "first_frame_bytes": []}
                for v in views}
    for run in range(runs):
        lab.wait_steady()
        ptys = []
        try:
            for label, kind, cols, rows, enter in views:
                if kind == "amqtop":
                    argv = [binary, "--config", lab.config]
                else:
                    argv = ["watch", "-n1", "%s status --config %s" % (binary, lab.config)]
                ptys.append((label, PtyRun(argv, cols, rows, env=state_env(work, "bw"), name=label), enter))
            time.sleep(1.5)
            for label, p, enter in ptys:
                if enter:
                    p.send("\r")
            time.sleep(3.0)  # first poll rounds, group view opened, watch's first run done
            t0 = time.time()
            time.sleep(idle_s)
            t1 = time.time()
            old, t_kill = lab.kill_master()
            time.sleep(failover_s)
            t2 = time.time()
            for label, p, _ in ptys:
                if p.proc.poll() is not None:
                    raise RuntimeError("%s exited early: %r" % (label, bytes(p.data[-400:])))
                r = per_view[label]
                r["first_frame_bytes"].append(p.bytes_between(p.t_exec, p.t_exec + 1.5))
                r["idle_Bps"].append(p.bytes_between(t0, t1) / (t1 - t0))
                buckets = p.per_second(t0, t1)
                r["idle_per_second_median"].append(sorted(buckets)[len(buckets) // 2] if buckets else None)
                r["failover_Bps"].append(p.bytes_between(t_kill, t2) / (t2 - t_kill))
            log("bandwidth run %d/%d: killed %s; idle amqtop 80x24 %.0f B/s, watch 80x24 %.0f B/s"
                % (run + 1, runs, old, per_view["amqtop 80x24"]["idle_Bps"][-1],
                   per_view["watch -n1 amqtop status 80x24"]["idle_Bps"][-1]))
        finally:
            for _, p, _ in ptys:
                p.close()
    out = {}
    for label, r in per_view.items():
        out[label] = {k: stats(v) for k, v in r.items()}
        out[label]["raw"] = r
    return {"idle_window_s": idle_s, "failover_window_s": failover_s, "runs": runs, "views": out}


# ================================================================ bandwidth on the wire, through ssh -tt

def bench_bandwidth_ssh(binary, work, quick):
    """Each view over a real `ssh -tt` session (OpenSSH, no compression) into a test host of
    the benchmark's own (network namespaces, one veth pair), one view at a time on the same
    lab group, idle, with the lock taken over 12 s before the window. Bytes and packets on the wire are the client veth's counters, both
    directions (the terminal's bytes, encrypted, and the TCP acknowledgements)."""
    why = SSHHost.unavailable()
    if why:
        return {"skipped": why}
    runs = 1 if quick else 3
    idle_s = 10 if quick else 20
    host = SSHHost(work)
    lab = None
    views = [
        ("amqtop 80x24", 80, 24, False, "%s --config %s"),
        ("amqtop 80x24 group view", 80, 24, True, "%s --config %s"),
        ("watch -n1 amqtop status 80x24", 80, 24, False, "watch -n1 %s status --config %s"),
    ]
    per_view = {v[0]: {"wire_Bps": [], "wire_packets_per_s": [], "terminal_Bps": []} for v in views}
    try:
        lab = Lab(binary, work, wrap=host.in_server(), name="sshlab")
        for run in range(runs):
            for label, cols, rows, enter, template in views:
                # A fresh takeover before each view, then 12 s of tenure: every idle window sees
                # a lock age of 18-38 s, as the pty benchmark's do (an age past a minute read in
                # whole seconds before this change too, so older locks would hide the difference).
                lab.kill_master()
                lab.wait_steady(min_tenure=12.0, timeout=60.0)
                state = tempfile.mkdtemp(prefix="state-ssh-", dir=work)
                remote = "env LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_STATE_HOME=%s XDG_CONFIG_HOME=%s %s" % (
                    state, state, template % (binary, lab.config))
                p = PtyRun(host.ssh_argv(remote), cols, rows, name="ssh " + label)
                try:
                    time.sleep(4.0)  # login, first paint, first poll rounds
                    if enter:
                        p.send("\r")
                    time.sleep(2.0)
                    if p.proc.poll() is not None:
                        raise RuntimeError("ssh %s exited early: %r" % (label, bytes(p.data[-400:])))
                    b0, n0 = host.wire()
                    t0 = time.time()
                    time.sleep(idle_s)
                    b1, n1 = host.wire()
                    t1 = time.time()
                    r = per_view[label]
                    r["wire_Bps"].append((b1 - b0) / (t1 - t0))
                    r["wire_packets_per_s"].append((n1 - n0) / (t1 - t0))
                    r["terminal_Bps"].append(p.bytes_between(t0, t1) / (t1 - t0))
                    log("ssh run %d/%d %s: %.0f B/s and %.1f packets/s on the wire, %.0f B/s to the terminal"
                        % (run + 1, runs, label, r["wire_Bps"][-1], r["wire_packets_per_s"][-1], r["terminal_Bps"][-1]))
                finally:
                    p.close()
    finally:
        if lab:
            lab.close()
        host.close()
    out = {}
    for label, r in per_view.items():
        out[label] = {k: stats(v) for k, v in r.items()}
        out[label]["raw"] = r
    return {"idle_window_s": idle_s, "runs": runs, "views": out}


# ================================================================ scale and cost

CURL_LOOP = r"""#!/bin/bash
# What people script today: curl every broker's Jolokia, then sleep a second.
end=$((SECONDS + DURATION)); rounds=0
while [ $SECONDS -lt $end ]; do
  while IFS=$'\t' read -r group name url role; do
    curl -s -m 2 -H 'Content-Type: application/json' --data-binary @"REQDIR/$name.json" "$url" > /dev/null
  done < BROKERS
  rounds=$((rounds + 1))
  sleep 1
done
echo $rounds > ROUNDS
"""

ATTRIBUTES = ["Slave", "BrokerName", "BrokerId", "BrokerVersion", "UptimeMillis", "TransportConnectors",
              "DataDirectory", "CurrentConnectionsCount", "TotalMessageCount", "StorePercentUsage",
              "MemoryPercentUsage"]


WRK_SCRIPT = """-- amqtop's bulk read, byte for byte (JolokiaRequests.bulkRead), with its headers
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.body = [==[BODY]==]
"""


def bulk_read_body(name):
    """The body amqtop POSTs for broker `name`: JSONEncoder with sorted keys, no spaces."""
    return json.dumps([{"type": "read", "mbean": "org.apache.activemq:type=Broker,brokerName=%s" % name,
                        "attribute": a, "config": {"includeStackTrace": "false"}} for a in ATTRIBUTES],
                      sort_keys=True, separators=(",", ":"))


def answer_bytes(url, body):
    """The size of the broker's answer to `body` (what each wrk request reads)."""
    import urllib.request
    req = urllib.request.Request(url, data=body.encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as r:
        return len(r.read())


def wrk_floor(fleet, work, windows, window_s):
    """CPU per request of wrk (one thread, one keep-alive connection) on one fake broker.

    wrk is a closed loop: each window sends as many requests as the broker answers, and
    wrk's own CPU (user + system, from wait4) over the requests the fleet counted is the
    floor of what one poll can cost a client. Debian: apt-get install wrk."""
    if shutil.which("wrk") is None:
        log("scale: wrk not installed (apt-get install wrk): no floor measured")
        return None
    group, name, url, role = fleet.brokers[0]
    script = os.path.join(work, "wrk-bulkread.lua")
    with open(script, "w") as f:
        f.write(WRK_SCRIPT.replace("BODY", bulk_read_body(name)))
    per_request, rates = [], []
    for _ in range(windows):
        r0, t0 = fleet.requests(), time.time()
        p = spawn(["wrk", "-t1", "-c1", "-d%ds" % window_s, "-s", script, url],
                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = 0
        r1, t1 = fleet.requests(), time.time()
        n = max(1, r1 - r0)
        per_request.append(1000 * (usage.ru_utime + usage.ru_stime) / n)
        rates.append(n / (t1 - t0))
    return {"windows": windows, "window_s": window_s, "broker": name, "role": role,
            "answer_bytes": answer_bytes(url, bulk_read_body(name)),
            "cpu_ms_per_request": stats(per_request), "requests_per_s": stats(rates)}


def start_dashboard(binary, config, work, tag):
    """The dashboard on `config` in a 200x60 pty, 3 s after its first complete poll round."""
    p = PtyRun([binary, "--config", config], 200, 60, env=state_env(work, tag), name="amqtop-" + tag)
    _, end = p.wait_match(b"amqtop", 20)
    t_complete, _ = p.wait_match(TIME_RE, 30, after_offset=end or 0)
    if t_complete is None:
        p.close()
        raise RuntimeError("dashboard never completed a poll round: %r" % bytes(p.data[-600:]))
    time.sleep(3)
    return p


def bench_scale(binary, work, quick):
    duration = 15 if quick else 60
    slice_s = 5
    fleet = FakeFleet(work, groups=100, per_group=3)
    result = {"brokers": len(fleet.brokers), "groups": 100, "duration_s": duration, "slice_s": slice_s}
    try:
        # ---- amqtop dashboard in a 200x60 pty
        log("scale: amqtop dashboard on %d fake brokers for %d s" % (len(fleet.brokers), duration))
        p = start_dashboard(binary, fleet.config, work, "scale")
        try:
            pid = p.proc.pid
            req0, c0, t0 = fleet.requests(), cpu_seconds(pid), time.time()
            shares, per_poll, last_c, last_t, last_r = [], [], c0, t0, req0
            while time.time() - t0 < duration:
                time.sleep(min(slice_s, duration - (time.time() - t0)))
                c, t, r = cpu_seconds(pid), time.time(), fleet.requests()
                if t - last_t > 0.5:
                    shares.append((c - last_c) / (t - last_t))
                    per_poll.append(1000 * (c - last_c) / max(1, r - last_r))
                last_c, last_t, last_r = c, t, r
            req1, c1, t1 = fleet.requests(), cpu_seconds(pid), time.time()
            hwm, rss = status_kb(pid, "VmHWM"), status_kb(pid, "VmRSS")
            threads = status_kb(pid, "Threads")
            bw = p.bytes_between(t0, t1) / (t1 - t0)
        finally:
            p.close()
        with open("/proc/locks") as f:
            result["proc_locks_lines"] = sum(1 for _ in f)
        with open("/proc/self/mountinfo") as f:
            result["mountinfo_lines"] = sum(1 for _ in f)
        amq = {
            "cpu_share": (c1 - c0) / (t1 - t0), "cpu_share_slices": stats(shares), "cpu_s": c1 - c0,
            "wall_s": t1 - t0, "requests": req1 - req0, "requests_per_s": (req1 - req0) / (t1 - t0),
            "cpu_ms_per_poll": 1000 * (c1 - c0) / max(1, req1 - req0), "cpu_ms_per_poll_slices": stats(per_poll),
            "peak_rss_kb": hwm, "rss_kb_end": rss,
            "threads": threads, "pty_Bps": bw,
        }
        result["amqtop"] = amq
        log("scale: amqtop %.1f%% of a core, %.0f req/s, VmHWM %.1f MB"
            % (100 * amq["cpu_share"], amq["requests_per_s"], (hwm or 0) / 1024))

        # ---- diagnostic: the same dashboard with no lockFile configured (Jolokia polling only),
        # to split the cost between the lock-file probes and the rest
        nolock = os.path.join(work, "fleet-nolock.yaml")
        with open(fleet.config) as src, open(nolock, "w") as dst:
            dst.write("".join(l for l in src if "lockFile:" not in l))
        diag_s = max(10, duration // 3)
        p = PtyRun([binary, "--config", nolock], 200, 60, env=state_env(work, "scale"), name="amqtop-nolock")
        try:
            _, end = p.wait_match(b"amqtop", 20)
            p.wait_match(TIME_RE, 30, after_offset=end or 0)
            time.sleep(3)
            pid = p.proc.pid
            r0, c0, t0 = fleet.requests(), cpu_seconds(pid), time.time()
            per_poll, last_r, last_c, last_t = [], r0, c0, t0
            while time.time() - t0 < diag_s:
                time.sleep(min(slice_s, diag_s - (time.time() - t0)))
                c, t, r = cpu_seconds(pid), time.time(), fleet.requests()
                if t - last_t > 0.5:
                    per_poll.append(1000 * (c - last_c) / max(1, r - last_r))
                last_c, last_t, last_r = c, t, r
            r1, c1, t1 = fleet.requests(), cpu_seconds(pid), time.time()
            result["amqtop_without_lock_files"] = {"cpu_share": (c1 - c0) / (t1 - t0), "wall_s": t1 - t0,
                                                   "requests": r1 - r0,
                                                   "cpu_ms_per_poll": 1000 * (c1 - c0) / max(1, r1 - r0),
                                                   "cpu_ms_per_poll_slices": stats(per_poll),
                                                   "peak_rss_kb": status_kb(pid, "VmHWM")}
        finally:
            p.close()
        log("scale: amqtop without lock files %.1f%% of a core" % (100 * result["amqtop_without_lock_files"]["cpu_share"]))

        # ---- the floor: wrk (C, one keep-alive connection) sending amqtop's own bulk read
        # to one broker of the same fleet, as fast as the broker answers
        floor = wrk_floor(fleet, work, windows=3 if quick else 5, window_s=3 if quick else 5)
        if floor:
            result["wrk_floor"] = floor
            result["ratio_amqtop_to_floor"] = amq["cpu_ms_per_poll_slices"]["median"] / floor["cpu_ms_per_request"]["median"]
            nl = result["amqtop_without_lock_files"]
            result["ratio_amqtop_nolock_to_floor"] = nl["cpu_ms_per_poll_slices"]["median"] / floor["cpu_ms_per_request"]["median"]
            log("scale: wrk floor %.1f us of CPU per request; amqtop %.1fx the floor per poll (%.1fx without lock files)"
                % (1000 * floor["cpu_ms_per_request"]["median"], result["ratio_amqtop_to_floor"],
                   result["ratio_amqtop_nolock_to_floor"]))

        # ---- the curl loop, same brokers, same request body
        time.sleep(2)
        log("scale: curl loop on the same brokers for %d s" % duration)
        reqdir = os.path.join(work, "curlreq")
        os.makedirs(reqdir, exist_ok=True)
        for group, name, url, role in fleet.brokers:
            body = [{"type": "read", "mbean": "org.apache.activemq:type=Broker,brokerName=%s" % name, "attribute": a}
                    for a in ATTRIBUTES]
            with open(os.path.join(reqdir, name + ".json"), "w") as f:
                json.dump(body, f)
        rounds_file = os.path.join(work, "curl-rounds")
        script = os.path.join(work, "curl-loop.sh")
        with open(script, "w") as f:
            f.write(CURL_LOOP.replace("DURATION", str(duration)).replace("REQDIR", reqdir)
                    .replace("BROKERS", os.path.join(fleet.dir, "brokers.tsv")).replace("ROUNDS", rounds_file))
        req0, t0 = fleet.requests(), time.time()
        loop = spawn(["bash", script], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        peak_sum_kb = 0
        deadline = t0 + duration + 60
        wait_status = None
        try:
            while time.time() < deadline:
                got, status, usage = os.wait4(loop.pid, os.WNOHANG)
                if got == loop.pid:
                    wait_status = (status, usage)
                    break
                peak_sum_kb = max(peak_sum_kb, group_rss_kb(loop.pid))
                time.sleep(0.25)
        finally:
            if wait_status is None:
                stop(loop)
                raise RuntimeError("curl loop did not finish in time")
            loop.returncode = 0
        t1 = time.time()
        req1 = fleet.requests()
        usage = wait_status[1]
        cpu = usage.ru_utime + usage.ru_stime
        rounds = int(open(rounds_file).read().strip())
        curl = {
            "cpu_share": cpu / (t1 - t0), "cpu_s": cpu, "wall_s": t1 - t0, "rounds": rounds,
            "requests": req1 - req0, "requests_per_s": (req1 - req0) / (t1 - t0),
            "cpu_ms_per_poll": 1000 * cpu / max(1, req1 - req0),
            "peak_rss_sum_kb": peak_sum_kb, "peak_rss_largest_process_kb": usage.ru_maxrss,
        }
        result["curl_loop"] = curl
        result["ratio_cpu_per_poll"] = curl["cpu_ms_per_poll"] / amq["cpu_ms_per_poll"]
        result["ratio_cpu_share"] = curl["cpu_share"] / amq["cpu_share"]
        log("scale: curl loop %.1f%% of a core, %.0f req/s (%d rounds in %.0f s)"
            % (100 * curl["cpu_share"], curl["requests_per_s"], rounds, t1 - t0))
    finally:
        fleet.close()
    return result


# ================================================================ detection latency

class Recorder(threading.Thread):
    def __init__(self, fn, interval):
        super().__init__(daemon=True)
        self.fn, self.interval, self.samples, self.done = fn, interval, [], threading.Event()

    def run(self):
        while not self.done.is_set():
            try:
                self.samples.append(self.fn())
            except Exception as e:  # keep recording; a failed sample is data too
                self.samples.append(("error", time.time(), str(e)))
            self.done.wait(self.interval)


OVERVIEW_RE = re.compile(r"\b(?:lab|amq)\s+(OK|WARNING|CRITICAL|UNKNOWN)\s+(\*\s+((?:lab|amq)\d+)|\S+)\s+"
                         r"(\d+(?:\.\d+)?)(ms|s|m|h)")
UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def bench_detection(binary, work, lab, quick, failovers=None):
    failovers = failovers or (2 if quick else 5)
    sock = "amqtop-bench-%d-%s" % (os.getpid(), os.path.basename(lab.dir))
    tmux = ["tmux", "-L", sock, "-f", "/dev/null"]
    env = state_env(work, "det")
    envs = " ".join("%s=%s" % kv for kv in env.items())
    subprocess.run(tmux + ["new-session", "-d", "-x", "100", "-y", "30",
                           "env TERM=xterm-256color LANG=C.UTF-8 %s %s --config %s" % (envs, binary, lab.config)],
                   check=True)
    events = []
    hung_after_sighup = False
    try:
        for i in range(failovers):
            old, old_ts = lab.wait_steady()
            others = [n for n in lab.names if n != old]

            def screen():
                t = time.time()
                text = subprocess.run(tmux + ["capture-pane", "-p"], capture_output=True, text=True, timeout=5).stdout
                m = OVERVIEW_RE.search(text)
                if not m:
                    return (t, None, None)
                return (t, m.group(3), float(m.group(4)) * UNIT[m.group(5)])

            def status_json():
                t0 = time.time()
                r = subprocess.run([binary, "status", "--json", "--config", lab.config], capture_output=True,
                                   text=True, timeout=10, env=dict(os.environ, **env))
                t1 = time.time()
                try:
                    g = json.loads(r.stdout)["groups"][0]
                    return (t0, t1, g.get("master"), (g.get("lock") or {}).get("acquiredAtMillis"))
                except (ValueError, KeyError, IndexError):
                    return (t0, t1, None, None)

            def serving():
                t = time.time()
                return (t, [n for n in others if jolokia_slave(lab.urls[n], n, timeout=0.3) is False])

            recs = {"screen": Recorder(screen, 0.05), "json": Recorder(status_json, 0.0),
                    "serving": Recorder(serving, 0.025)}
            for r in recs.values():
                r.start()
            time.sleep(1.5)
            killed, t_kill = lab.kill_master()
            deadline = t_kill + 15
            new_ts = None
            while time.time() < deadline:
                ts = lock_timestamp_ms(lab.lock)
                if ts and ts != old_ts:
                    new_ts = ts
                if new_ts and any(s[1] for s in recs["serving"].samples if s[0] != "error" and s[0] > t_kill):
                    break
                time.sleep(0.05)
            time.sleep(2.5)  # let the observers catch up (a missed goal still gets measured)
            for r in recs.values():
                r.done.set()
            for r in recs.values():
                r.join(12)
            new = lab.master()
            ev = {"killed": killed, "new_master": new, "t_kill": t_kill,
                  "lock_ts": new_ts / 1000.0 if new_ts else None}
            serve = [s for s in recs["serving"].samples if s[0] != "error" and s[0] > t_kill and new in s[1]]
            ev["t_serving"] = serve[0][0] if serve else None
            scr = [s for s in recs["screen"].samples if s[0] != "error" and s[0] > t_kill]
            since_old = lambda t: t - old_ts / 1000.0  # noqa: E731
            ev["t_screen_lock"] = next((s[0] for s in scr if s[2] is not None and s[2] < since_old(s[0]) - 3.0), None)
            ev["t_screen_master"] = next((s[0] for s in scr if s[1] == new), None)
            js = [s for s in recs["json"].samples if s[0] != "error" and s[1] > t_kill]
            ev["t_json_lock"] = next((s[1] for s in js if new_ts and s[3] == new_ts), None)
            ev["t_json_master"] = next((s[1] for s in js if s[2] == new), None)
            ev["json_run_s"] = stats([s[1] - s[0] for s in js])["median"]
            ev["screen_samples"] = len(scr)
            lt, sv = ev["lock_ts"], ev["t_serving"]
            rel = lambda a, b: (a - b) if (a is not None and b is not None) else None  # noqa: E731
            ev["screen_lock_after_lock"] = rel(ev["t_screen_lock"], lt)
            ev["screen_master_after_lock"] = rel(ev["t_screen_master"], lt)
            ev["screen_master_after_serving"] = rel(ev["t_screen_master"], sv)
            ev["json_lock_after_lock"] = rel(ev["t_json_lock"], lt)
            ev["json_master_after_lock"] = rel(ev["t_json_master"], lt)
            ev["json_master_after_serving"] = rel(ev["t_json_master"], sv)
            ev["serving_after_lock"] = rel(sv, lt)
            ev["lock_after_kill"] = rel(lt, t_kill)
            events.append(ev)
            log("detection %d/%d: %s -> %s; lock %.2fs after kill, serving %.2fs after lock; screen lock +%s, "
                "screen master +%s (lock) / %s (serving); json master +%s"
                % (i + 1, failovers, killed, new, ev["lock_after_kill"] or -1, ev["serving_after_lock"] or -1,
                   _fmt(ev["screen_lock_after_lock"]), _fmt(ev["screen_master_after_lock"]),
                   _fmt(ev["screen_master_after_serving"]), _fmt(ev["json_master_after_lock"])))
    finally:
        pane = subprocess.run(tmux + ["display-message", "-p", "#{pane_pid}"], capture_output=True, text=True).stdout
        subprocess.run(tmux + ["kill-server"], capture_output=True)
        # The pane's dashboard gets SIGHUP from tmux; make sure it is gone (one once hung after
        # SIGHUP, with every thread idle), so no benchmark process outlives the run.
        pane_pid = int(pane.strip()) if pane.strip().isdigit() else None
        deadline = time.time() + 5
        while pane_pid and time.time() < deadline and os.path.exists("/proc/%d" % pane_pid):
            time.sleep(0.1)
        if pane_pid and os.path.exists("/proc/%d" % pane_pid):
            with open("/proc/%d/cmdline" % pane_pid, "rb") as f:
                mine = binary.encode() in f.read()
            if mine:
                log("detection: dashboard pid %d still running 5 s after SIGHUP; killing it" % pane_pid)
                os.kill(pane_pid, signal.SIGKILL)
                hung_after_sighup = True
    keys = ["lock_after_kill", "serving_after_lock", "screen_lock_after_lock", "screen_master_after_lock",
            "screen_master_after_serving", "json_lock_after_lock", "json_master_after_lock",
            "json_master_after_serving", "json_run_s"]
    return {"failovers": failovers, "hung_after_sighup": hung_after_sighup, "lockPoll_s": 0.25, "poll_s": 1.0, "screen_capture_interval_s": 0.05,
            "summary": {k: stats([e[k] for e in events]) for k in keys}, "events": events}


def bench_detection_activemq(binary, work, quick):
    """The same detection benchmark on three real ActiveMQ Classic brokers (Debian's 5.17)."""
    if not activemq_available():
        return {"skipped": "Debian's activemq, Jolokia or Jetty jars not installed"}
    group = ActiveMQGroup(work)
    try:
        return bench_detection(binary, work, group, quick, failovers=1 if quick else 3)
    finally:
        group.close()


def _fmt(x):
    return "-" if x is None else "%.3fs" % x


# ================================================================ start-up

def bench_startup(binary, work, lab, quick):
    n = 3 if quick else 7
    fleet = FakeFleet(work, groups=100, per_group=3)
    out = {"runs": n}
    try:
        for label, config in (("3 brokers (lab)", lab.config), ("300 brokers (fake fleet)", fleet.config)):
            paint, complete = [], []
            for i in range(n):
                p = PtyRun([binary, "--config", config], 200, 60, env=state_env(work, "start"), name="startup")
                try:
                    t_paint, end = p.wait_match(b"amqtop", 20)
                    t_complete, _ = p.wait_match(TIME_RE, 30, after_offset=end or 0)
                    paint.append(t_paint - p.t_exec if t_paint else None)
                    complete.append(t_complete - p.t_exec if t_complete else None)
                finally:
                    p.close()
                time.sleep(0.3)
            status = []
            for i in range(n):
                t0 = time.time()
                subprocess.run([binary, "status", "--config", config], capture_output=True, timeout=30,
                               env=dict(os.environ, **state_env(work, "st")))
                status.append(time.time() - t0)
            out[label] = {"first_paint_s": stats(paint), "first_complete_frame_s": stats(complete),
                          "status_command_s": stats(status), "raw": {"paint": paint, "complete": complete,
                                                                    "status": status}}
            log("startup %s: paint %.3fs, complete frame %.3fs, status %.3fs (medians)"
                % (label, out[label]["first_paint_s"]["median"] or -1,
                   out[label]["first_complete_frame_s"]["median"] or -1, out[label]["status_command_s"]["median"]))
        base = []
        for i in range(n):
            t0 = time.time()
            subprocess.run([binary, "--help"], capture_output=True, timeout=30)
            base.append(time.time() - t0)
        out["amqtop --help (process start baseline)"] = {"s": stats(base)}
    finally:
        fleet.close()
    return out


# ================================================================ report

def pct(x):
    return "-" if x is None else "%.1f%%" % (100 * x)


def fs(x, unit="s", scale=1.0, digits=2):
    return "-" if x is None else ("%." + str(digits) + "f%s") % (x * scale, unit)


def mmm(st, unit="s", scale=1.0, digits=2):
    if not st or st.get("n", 0) == 0:
        return "-"
    return "%s (%s–%s, n=%d)" % (fs(st["median"], unit, scale, digits), fs(st["min"], "", scale, digits),
                                 fs(st["max"], "", scale, digits), st["n"])


def report(res):
    lines = ["# amqtop benchmark run %s" % res["started"], "",
             "host: %s, %d CPUs; load average before %s, after %s; mode %s" % (
                 res["host"], res["cpus"], res["load_before"], res["load_after"], res["mode"]), ""]
    bw = res.get("bandwidth")
    if bw:
        lines += ["## Terminal bandwidth (bytes/s to the pty; idle window %ds, failover window %ds, runs %d)"
                  % (bw["idle_window_s"], bw["failover_window_s"], bw["runs"]), "",
                  "| view | idle B/s, median (min–max, n) | idle: median 1-s bucket | failover B/s | bytes in the first 1.5 s (first paint) |",
                  "|---|---|---|---|---|"]
        for label, v in bw["views"].items():
            lines.append("| %s | %s | %s | %s | %s |" % (label, mmm(v["idle_Bps"], "", 1, 0),
                                                        mmm(v["idle_per_second_median"], "", 1, 0),
                                                        mmm(v["failover_Bps"], "", 1, 0),
                                                        mmm(v["first_frame_bytes"], "", 1, 0)))
        lines.append("")
    bs = res.get("bandwidth_ssh")
    if bs and "skipped" in bs:
        lines += ["## Bandwidth on the wire through ssh -tt: skipped, %s" % bs["skipped"], ""]
    elif bs:
        lines += ["## Bandwidth on the wire through `ssh -tt` (OpenSSH, no compression, a veth pair between two network namespaces; idle window %ds, runs %d, one view at a time)"
                  % (bs["idle_window_s"], bs["runs"]), "",
                  "| view | wire B/s, both directions, median (min–max, n) | packets/s on the wire | terminal B/s at the ssh client |",
                  "|---|---|---|---|"]
        for label, v in bs["views"].items():
            lines.append("| %s | %s | %s | %s |" % (label, mmm(v["wire_Bps"], "", 1, 0), mmm(v["wire_packets_per_s"], "", 1, 1),
                                                   mmm(v["terminal_Bps"], "", 1, 0)))
        lines.append("")
    sc = res.get("scale")
    if sc:
        a, c = sc["amqtop"], sc.get("curl_loop", {})
        lines += ["## Scale and cost (%d brokers in %d groups, poll 1s, lockPoll 250ms, %ds each)"
                  % (sc["brokers"], sc["groups"], sc["duration_s"]), "",
                  "| | CPU share of one core | requests/s | CPU ms per broker poll | peak RSS |", "|---|---|---|---|---|",
                  "| amqtop dashboard | %s (5-s slices: %s) | %.0f | %.3f | %.1f MB (VmHWM) |"
                  % (pct(a["cpu_share"]), mmm(a["cpu_share_slices"], "%", 100, 1), a["requests_per_s"],
                     a["cpu_ms_per_poll"], (a["peak_rss_kb"] or 0) / 1024)]
        d = sc.get("amqtop_without_lock_files")
        if d:
            lines.append("| amqtop dashboard, no lockFile configured (diagnostic, %ds) | %s | | | %.1f MB |"
                         % (d["wall_s"], pct(d["cpu_share"]), (d["peak_rss_kb"] or 0) / 1024))
        if "cpu_ms_per_poll_slices" in a:
            lines.append("| amqtop dashboard, CPU ms per broker poll by 5-s slice | | | %s | |"
                         % mmm(a["cpu_ms_per_poll_slices"], "", 1, 3))
        if d and "cpu_ms_per_poll_slices" in d:
            lines.append("| amqtop dashboard, no lockFile, CPU ms per broker poll by 5-s slice | | | %s | |"
                         % mmm(d["cpu_ms_per_poll_slices"], "", 1, 3))
        w = sc.get("wrk_floor")
        if w:
            lines.append("| floor: wrk -t1 -c1, amqtop's bulk read to one broker (%s, answer %s B), %d windows of %d s | | %s | %s | |"
                         % (w["role"], w["answer_bytes"], w["windows"], w["window_s"], mmm(w["requests_per_s"], "", 1, 0),
                            mmm(w["cpu_ms_per_request"], "", 1, 4)))
        if c:
            lines.append("| curl loop | %s | %.0f (%d rounds) | %.3f | %.1f MB (sum over the loop's processes; largest one %.1f MB) |"
                         % (pct(c["cpu_share"]), c["requests_per_s"], c["rounds"], c["cpu_ms_per_poll"],
                            c["peak_rss_sum_kb"] / 1024, c["peak_rss_largest_process_kb"] / 1024))
            lines += ["", "curl loop / amqtop: %.1fx CPU per broker poll, %.1fx CPU share"
                      % (sc["ratio_cpu_per_poll"], sc["ratio_cpu_share"])]
        if w:
            lines += ["", "amqtop / floor (median CPU per broker poll over median CPU per wrk request): %.1fx, %.1fx without lock files"
                      % (sc["ratio_amqtop_to_floor"], sc["ratio_amqtop_nolock_to_floor"])]
        lines += ["", "/proc/locks had %s lines, /proc/self/mountinfo %s (amqtop parses /proc/locks at most once per lock round and the mount table every 5 s)"
                  % (sc.get("proc_locks_lines"), sc.get("mountinfo_lines"))]
        lines.append("")
    for key, title in (("detection", "lab"), ("detection_activemq", "real ActiveMQ 5.17")):
        de = res.get(key)
        if de and "skipped" in de:
            lines += ["## Detection latency (%s): skipped, %s" % (title, de["skipped"]), ""]
        elif de:
            s = de["summary"]
            lines += ["## Detection latency (%s, %d kill -9 failovers; seconds, median (min–max, n))" % (title, de["failovers"]), "",
                      "| measure | figure |", "|---|---|"]
            names = [("lock_after_kill", "lock re-acquired after kill -9"),
                     ("serving_after_lock", "new master serves Slave=false after lock"),
                     ("screen_lock_after_lock", "dashboard shows the new lock (lock age reset) after lock"),
                     ("screen_master_after_lock", "dashboard names the new master after lock"),
                     ("screen_master_after_serving", "dashboard names the new master after serving answer"),
                     ("json_lock_after_lock", "status --json loop shows the new lock after lock"),
                     ("json_master_after_lock", "status --json loop names the new master after lock"),
                     ("json_master_after_serving", "status --json loop names the new master after serving answer"),
                     ("json_run_s", "one `status --json` run (the loop's granularity)")]
            for k, label in names:
                lines.append("| %s | %s |" % (label, mmm(s[k], "s", 1, 3)))
            lines.append("")
    su = res.get("startup")
    if su:
        lines += ["## Start-up (exec to screen, 200x60 pty; seconds, median (min–max, n))", "",
                  "| config | first paint | first complete frame (first poll round shown) | `amqtop status` run |",
                  "|---|---|---|---|"]
        for label in ("3 brokers (lab)", "300 brokers (fake fleet)"):
            v = su[label]
            lines.append("| %s | %s | %s | %s |" % (label, mmm(v["first_paint_s"], "s", 1, 3),
                                                   mmm(v["first_complete_frame_s"], "s", 1, 3),
                                                   mmm(v["status_command_s"], "s", 1, 3)))
        lines.append("| `amqtop --help` (process start baseline) | | | %s |"
                     % mmm(su["amqtop --help (process start baseline)"]["s"], "s", 1, 3))
        lines.append("")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default="bandwidth,bandwidth_ssh,detection,startup,scale,detection_activemq")
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    only = args.only.split(",")
    work = tempfile.mkdtemp(prefix="amqtop-bench-")
    atexit.register(lambda: (stop_all(), shutil.rmtree(work, ignore_errors=True)))
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(1))
    res = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "host": os.uname().nodename, "cpus": os.cpu_count(),
           "mode": "quick" if args.quick else "full", "binary": binary, "load_before": loadavg(), "errors": {}}
    lab = None
    try:
        if {"bandwidth", "detection", "startup"} & set(only):
            lab = Lab(binary, work)
        for name, fn in (("bandwidth", lambda: bench_bandwidth(binary, work, lab, args.quick)),
                         ("bandwidth_ssh", lambda: bench_bandwidth_ssh(binary, work, args.quick)),
                         ("detection", lambda: bench_detection(binary, work, lab, args.quick)),
                         ("detection_activemq", lambda: bench_detection_activemq(binary, work, args.quick)),
                         ("startup", lambda: bench_startup(binary, work, lab, args.quick)),
                         ("scale", lambda: bench_scale(binary, work, args.quick))):
            if name not in only:
                continue
            log("== %s (load %s)" % (name, loadavg()))
            try:
                res[name] = fn()
            except Exception as e:  # one failing benchmark must not lose the others
                import traceback
                traceback.print_exc()
                res["errors"][name] = repr(e)
            res.setdefault("load", {})[name] = loadavg()
    finally:
        if lab:
            lab.close()
        stop_all()
    res["load_after"] = loadavg()
    os.makedirs(args.out, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    with open(os.path.join(args.out, "run-%s.json" % stamp), "w") as f:
        json.dump(res, f, indent=1)
    text = report(res)
    if res["errors"]:
        text += "\nERRORS: %s\n" % res["errors"]
    with open(os.path.join(args.out, "run-%s.md" % stamp), "w") as f:
        f.write(text + "\n")
    print(text)
    print("\nraw results: %s" % os.path.join(args.out, "run-%s.json" % stamp))
    return 1 if res["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
