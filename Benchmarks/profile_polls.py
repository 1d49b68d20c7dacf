#!/usr/bin/env python3
"""Instructions per broker poll: the dashboard under callgrind on a fake fleet.

    python3 Benchmarks/profile_polls.py --bin PATH/TO/amqtop [--groups 10] [--seconds 20] [--lock-files]

Starts a fake fleet (Benchmarks/fakefleet.py, 3 brokers a group), runs the dashboard in a
200x60 pty under `valgrind --tool=callgrind --instr-atstart=no`, waits for its first
complete round and a few more seconds, then counts instructions for `--seconds` only
(`callgrind_control -i on` ... `-d`) while the fleet counts the polls it answered. Prints
instructions per broker poll, and the top functions (exclusive and inclusive, Swift names
demangled) grouped into NIO, async-http-client, JSON, concurrency, allocation and the rest.
Instruction counts are repeatable on a loaded machine, where seconds are not. Callgrind
runs the program about 50 times slower, so the fleet is smaller than the scale step's
300 brokers (a poll's work does not depend on how many others there are); lock files are
left out unless --lock-files, so the figure is the poll path's alone.
Needs valgrind (Debian: valgrind) and swift (for `swift demangle`).
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
from benchlib import FakeFleet, PtyRun  # noqa: E402
from bench import TIME_RE, state_env  # noqa: E402

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
    ("C library and kernel entry", ("libc.so", "ld-linux", "syscall")),
]


def group_of(name):
    for label, needles in GROUPS:
        if any(n in name for n in needles):
            return label
    return "other"


def demangle(lines):
    p = subprocess.run(["swift", "demangle", "--simplified", "--compact"], input="\n".join(lines), capture_output=True, text=True)
    out = p.stdout.split("\n")
    return out[:len(lines)] if len(out) >= len(lines) else lines


def annotate(out_file, inclusive):
    args = ["callgrind_annotate", "--threshold=100"]
    if inclusive:
        args.append("--inclusive=yes")
    text = subprocess.run(args + [out_file], capture_output=True, text=True).stdout
    rows = []
    for line in text.split("\n"):
        m = re.match(r"^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(\S.*)$", line)
        if not m or ":" not in m.group(2):
            continue
        rows.append((int(m.group(1).replace(",", "")), m.group(2)))
    names = demangle([r[1] for r in rows])
    return [(ir, name) for (ir, _), name in zip(rows, names)]


def total_ir(out_file):
    for line in open(out_file, errors="replace"):
        if line.startswith("summary:") or line.startswith("totals:"):
            return int(line.split()[1])
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--groups", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--lock-files", action="store_true")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--keep", help="directory to keep the callgrind output in")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="amqtop-callgrind-")
    fleet = FakeFleet(work, groups=args.groups, per_group=3)
    config = fleet.config
    if not args.lock_files:
        config = os.path.join(work, "fleet-nolock.yaml")
        with open(fleet.config) as src, open(config, "w") as dst:
            dst.write("".join(line for line in src if "lockFile:" not in line))
    out_dir = args.keep or work
    os.makedirs(out_dir, exist_ok=True)
    out_file = os.path.join(out_dir, "callgrind.out.polls")
    argv = ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=" + out_file, args.bin, "--config", config]
    p = PtyRun(argv, 200, 60, env=state_env(work, "callgrind"), name="amqtop-callgrind")
    try:
        _, end = p.wait_match(b"amqtop", 120)
        t, _ = p.wait_match(TIME_RE, 120, after_offset=end or 0)
        if t is None:
            raise SystemExit("the dashboard never completed a round under callgrind")
        time.sleep(5)
        pid = str(p.proc.pid)
        subprocess.run(["callgrind_control", "-i", "on", pid], check=True, capture_output=True)
        r0, t0 = fleet.requests(), time.time()
        time.sleep(args.seconds)
        subprocess.run(["callgrind_control", "-d", pid], check=True, capture_output=True)
        r1, t1 = fleet.requests(), time.time()
        subprocess.run(["callgrind_control", "-i", "off", pid], capture_output=True)
    finally:
        p.close()
        fleet.close()
    dumps = sorted(f for f in os.listdir(out_dir) if f.startswith("callgrind.out.polls"))
    dumped = [os.path.join(out_dir, f) for f in dumps if os.path.getsize(os.path.join(out_dir, f)) > 0]
    # The dump made by `-d` is the one with the counted window (the final one at exit holds what came after).
    window = next((f for f in dumped if f.endswith(".1")), dumped[0])
    polls = r1 - r0
    ir = total_ir(window)
    print("window %.1f s, %d broker polls (%.0f/s), %s instructions: %.0f instructions per broker poll"
          % (t1 - t0, polls, polls / (t1 - t0), "{:,}".format(ir or 0), (ir or 0) / max(1, polls)))
    for inclusive in (False, True):
        rows = annotate(window, inclusive)
        print("\n%s, per broker poll (top %d):" % ("inclusive" if inclusive else "exclusive (self)", args.top))
        for cost, name in rows[:args.top]:
            print("%10.0f  %5.1f%%  %s" % (cost / max(1, polls), 100.0 * cost / max(1, ir or 1), name[:160]))
        if not inclusive:
            grouped = collections.Counter()
            for cost, name in rows:
                grouped[group_of(name)] += cost
            print("\nexclusive instructions by group, per broker poll:")
            for label, cost in grouped.most_common():
                print("%10.0f  %5.1f%%  %s" % (cost / max(1, polls), 100.0 * cost / max(1, ir or 1), label))


if __name__ == "__main__":
    main()
