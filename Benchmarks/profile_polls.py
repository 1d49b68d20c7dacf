#!/usr/bin/env python3
"""Where a broker poll's CPU goes: the dashboard under `perf record -g` on the fake fleet.

    python3 Benchmarks/profile_polls.py --bin PATH/TO/amqtop [--groups 100] [--seconds 15] [--lock-files]

Starts a fake fleet (Benchmarks/fakefleet.py, 3 brokers a group, 300 by default), runs the
dashboard in a 200x60 pty, waits for its first complete round and a few more seconds, then
samples it with `perf record -g` for `--seconds` while the fleet counts the polls it
answered and /proc counts the dashboard's CPU time. Prints the CPU time per broker poll
and the top functions (self and with callees, Swift names demangled) grouped into NIO,
async-http-client, JSON, concurrency hand-offs, allocation and the rest, as shares of the
samples and as microseconds per poll. Lock files are left out unless --lock-files, so the
figure is the poll path's alone.

Instruction counts are steadier than time on a loaded machine: this VM exposes no hardware
counters (`perf stat -e instructions` says "not supported"), so they come from callgrind,
Benchmarks/callgrind_polls.py (which works around what stops Debian 12's valgrind 3.19 on this
binary). This script stays for what callgrind cannot see: the kernel's share.
Needs perf (Debian: linux-perf) and swift (for `swift demangle`).
"""

import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import FakeFleet  # noqa: E402
from bench import start_dashboard  # noqa: E402

GROUPS = [  # first match wins; matched against the demangled function name and its object file
    ("async-http-client", ("AsyncHTTPClient",)),
    ("NIO (event loops, channels, HTTP decoder)", ("NIOCore", "NIOPosix", "NIOHTTP1", "NIOSSL", "CNIOLLHTTP", "llhttp", "NIOConcurrencyHelpers", "_NIODataStructures", "CNIOLinux")),
    ("JSON reader and answer parser", ("JSONReader", "JolokiaResponseParser", "JSONValue")),
    ("concurrency and dispatch hand-offs", ("swift_task", "swift_job", "swift_continuation", "swift::", "Concurrency", "TaskGroup", "AsyncStream",
                                            "dispatch", "libdispatch", "swift_asyncLet", "Task.", "CheckedContinuation", "pthread", "futex")),
    ("allocation and reference counting", ("malloc", "free", "swift_alloc", "swift_dealloc", "swift_retain", "swift_release", "swift_bridgeObject",
                                           "_int_malloc", "_int_free", "realloc", "swift_slowAlloc", "swift_slowDealloc", "cfree", "memmove", "memcpy")),
    ("Foundation (Data, URL, strings)", ("Foundation", "libFoundation")),
    ("amqtop: reducer, assessment, screen", ("AMQTopCore", "AMQTopScreen", "AMQTopRuntime", "AMQTopTerminal")),
    ("amqtop: probes", ("AMQTopProbes",)),
    ("Swift runtime and stdlib", ("libswiftCore", "Swift.", "swift_")),
    ("C library", ("libc.so", "ld-linux")),
    ("kernel (syscalls, scheduling, network stack)", ("[kernel", "[k]")),
]


def group_of(name):
    for label, needles in GROUPS:
        if any(n in name for n in needles):
            return label
    return "other"


def demangle(lines):
    p = subprocess.run(["swift", "demangle", "--compact"], input="\n".join(lines), capture_output=True, text=True)
    out = p.stdout.split("\n")
    return out[:len(lines)] if len(out) >= len(lines) else lines


def report(data, children):
    """(share of samples, "dso symbol") rows from `perf report`, self or with callees."""
    args = ["perf", "report", "-i", data, "--stdio", "--sort", "dso,sym", "-g", "none", "--percent-limit", "0.05"]
    args.append("--children" if children else "--no-children")
    text = subprocess.run(args, capture_output=True, text=True).stdout
    rows = []
    for line in text.split("\n"):
        if line.startswith("#") or not line.strip():
            continue
        m = re.match(r"^\s*([\d.]+)%\s+(?:([\d.]+)%\s+)?(\S+)\s+\[.\]\s+(.*)$", line) or \
            re.match(r"^\s*([\d.]+)%\s+(?:([\d.]+)%\s+)?(\S+)\s+\[k\]\s+(.*)$", line)
        if not m:
            continue
        kernel = "[k]" in line
        share = float(m.group(1)) / 100.0
        rows.append((share, ("[kernel] " if kernel else "") + m.group(3), m.group(4).strip()))
    names = demangle([r[2] for r in rows])
    return [(share, dso, name) for (share, dso, _), name in zip(rows, names)]


def cpu_seconds(pid):
    with open("/proc/%s/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--groups", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--lock-files", action="store_true")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--keep", help="directory to keep perf.data in")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="amqtop-perf-")
    fleet = FakeFleet(work, groups=args.groups, per_group=3)
    config = fleet.config
    if not args.lock_files:
        config = os.path.join(work, "fleet-nolock.yaml")
        with open(fleet.config) as src, open(config, "w") as dst:
            dst.write("".join(line for line in src if "lockFile:" not in line))
    out_dir = args.keep or work
    os.makedirs(out_dir, exist_ok=True)
    data = os.path.join(out_dir, "perf.data")
    try:
        p = start_dashboard(args.bin, config, work, "perf")
    except RuntimeError:
        fleet.close()
        raise
    try:
        pid = str(p.proc.pid)
        r0, c0, t0 = fleet.requests(), cpu_seconds(pid), time.time()
        subprocess.run(["perf", "record", "-q", "-g", "-F", "999", "-o", data, "-p", pid, "--", "sleep", str(args.seconds)],
                       check=True, capture_output=True)
        r1, c1, t1 = fleet.requests(), cpu_seconds(pid), time.time()
    finally:
        p.close()
        fleet.close()
    polls = r1 - r0
    per_poll_us = 1e6 * (c1 - c0) / max(1, polls)
    print("window %.1f s, %d broker polls (%.0f/s), %.2f s of CPU (%.1f%% of a core): %.1f us of CPU per broker poll"
          % (t1 - t0, polls, polls / (t1 - t0), c1 - c0, 100 * (c1 - c0) / (t1 - t0), per_poll_us))
    for children in (False, True):
        rows = report(data, children)
        print("\n%s (top %d): share of samples, us per poll" % ("with callees (inclusive)" if children else "self (exclusive)", args.top))
        for share, dso, name in rows[:args.top]:
            print("%5.1f%%  %6.1f  %s  [%s]" % (100 * share, share * per_poll_us, name[:150], dso))
        if not children:
            grouped = collections.Counter()
            for share, dso, name in rows:
                grouped[group_of(dso + " " + name)] += share
            print("\nself time by group: share of samples, us per poll")
            for label, share in grouped.most_common():
                print("%5.1f%%  %6.1f  %s" % (100 * share, share * per_poll_us, label))


if __name__ == "__main__":
    main()
