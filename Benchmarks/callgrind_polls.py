#!/usr/bin/env python3
"""Instructions per broker poll: the dashboard under callgrind on a small fake fleet.

    python3 Benchmarks/callgrind_polls.py --bin PATH/TO/amqtop [--groups 10] [--warmup 20]
        [--seconds 30] [--runs 2] [--modes locks,nolocks] [--top 20] [--keep DIR] [--shared-proc]

(`bash Benchmarks/callgrind_polls.sh [--bin PATH] [options]` builds a release binary first when
no --bin is given.) Starts a fake fleet (Benchmarks/fakefleet.py, 3 brokers a group, 30 by
default: valgrind runs every thread on one core at a fraction of native speed), runs the
dashboard under `valgrind --tool=callgrind` in a 200x60 pty the way Benchmarks/bench.py does,
waits for its first complete round and `--warmup` seconds more, then zeroes the counters
(`callgrind_control --zero`), lets it run `--seconds`, and dumps them (`callgrind_control
--dump`), counting the polls the fleet answered in between. Prints the instructions (Ir) per
broker poll, the poll rate valgrind kept up with, and the top functions, exclusive and
inclusive, with the exclusive counts grouped (NIO, JSON, concurrency, allocation, lock files
and /proc, ...). Each mode runs `--runs` times (a fresh dashboard each time) to show the
figure repeats. Modes: `locks` (the fleet's lock files, lockPoll 250ms) and `nolocks`
(lockFile: lines removed, the Jolokia path alone).

It runs in a pid namespace of its own (`unshare --pid --fork --mount-proc`; `--shared-proc` not
to), where /proc/locks lists only the fake fleet's locks: the lock probe parses that file on
every read, and the machine's own list changes with whatever else runs. An attempt in which
valgrind answered fewer than `--min-rate` (95%) of the expected polls is counted out and tried
again (at most two extra), since time-driven work (frames, lock reads) would then fall on fewer
polls. Compare the stages' Ir per call first: those do not depend on the poll rate.

What is counted: user-space instructions of every thread of amqtop and the libraries it
loads. Not counted: the kernel (syscalls, scheduling, TCP), which callgrind cannot see, and
time: an instruction is an instruction whether it waited on a cache miss or not.

Two things make Debian 12's valgrind 3.19 run a Swift 6 binary at all (see BENCHMARKS.md,
issue 15): the binary is copied with `objcopy --strip-debug` (valgrind 3.19 cannot read the
DWARF 5 that clang emits for the package's C targets, and gives up on the whole binary;
the symbol table stays, so functions keep their names), and Benchmarks/sigsuspend_shim.c is
preloaded (valgrind 3.19 writes into the read-only mask libdispatch's main thread hands
sigsuspend, and crashes). The fleet's `timeout: 2s` is raised to `--timeout` (10s) because
under valgrind a first poll of a connection takes longer than 2 s on a loaded machine.
Needs valgrind, objcopy (binutils), cc, unshare (util-linux) and swift (for `swift demangle`).
"""

import argparse
import collections
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import FakeFleet, PtyRun, stop_all  # noqa: E402
from bench import TIME_RE, state_env  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

# First match wins; matched against "object-file demangled-name". The lock-file probe and
# /proc parsing come before the generic groups so their Swift code is not counted as "runtime".
GROUPS = [
    ("lock-file reader and /proc parsing (AMQTopProbes/Lock)",
     ("LockFileReader", "LockFileProbe", "ProcLocks", "ProcFile", "ProcTextCache", "MountInfo", "FilesystemCache",
      "FilesystemMagic", "LockReading", "LockRoute", "LockFileSnapshot")),
    ("JSON reader and answer parser", ("JSONReader", "JolokiaResponseParser", "JSONValue")),
    ("HTTP transport (AMQTopProbes/HTTP)",
     ("EndpointConnections", "HTTPExchangeHandler", "RawRequestWriter", "JolokiaHTTPRequest", "PollExecutor",
      "ProbeHTTPClient", "HTTPAnswer", "HTTPEndpoint", "ExchangeFailure", "ConnectionBreak")),
    ("NIO (event loops, channels, HTTP decoder)",
     ("NIOCore", "NIOPosix", "NIOHTTP1", "NIOSSL", "CNIOLLHTTP", "llhttp", "NIOConcurrencyHelpers",
      "_NIODataStructures", "CNIOLinux", "CNIOPosix", "NIOEmbedded")),
    ("history writer (AMQTopHistory, SQLite)", ("AMQTopHistory", "libsqlite3", "GRDB", "HistoryRecorder", "HistoryStore", "HistoryFeed", "HistorySink",
                                                  "HistoryThread")),
    ("screen and terminal (AMQTopScreen, AMQTopTerminal, ncurses)",
     ("AMQTopScreen", "AMQTopTerminal", "libncursesw", "libtinfo")),
    ("reducer, assessment, dashboard loop (AMQTopCore, AMQTopRuntime)", ("AMQTopCore", "AMQTopRuntime")),
    ("amqtop: other probes (poller, router, batcher)", ("AMQTopProbes",)),
    ("allocation and reference counting",
     ("malloc", "free", "swift_alloc", "swift_dealloc", "swift_retain", "swift_release", "swift_bridgeObject",
      "_int_malloc", "_int_free", "realloc", "swift_slowAlloc", "swift_slowDealloc", "cfree", "swift_allocObject",
      "swift_deallocObject", "swift_unknownObject", "swift_weak", "swift_isUniquelyReferenced", "calloc",
      "memalign", "tcache", "arena_")),
    ("Swift concurrency and dispatch hand-offs",
     ("libswift_Concurrency", "libdispatch", "libswiftDispatch", "swift_task", "swift_job", "swift_continuation",
      "swift_asyncLet", "pthread", "futex", "AsyncStream", "CheckedContinuation", "TaskGroup")),
    ("Foundation", ("libFoundation", "Foundation")),
    ("Swift runtime and stdlib (hashing, strings, generics, metadata)", ("libswiftCore", "libswift", "Swift.", "swift_", "$s")),
    ("C library (memcpy, syscall stubs, time)", ("libc.so", "libm.so", "ld-linux", "libstdc++", "libgcc")),
]


def group_of(text):
    for label, needles in GROUPS:
        if any(n in text for n in needles):
            return label
    return "other"


class Profile:
    """Exclusive and inclusive Ir per (object, function) of one callgrind output file."""

    def __init__(self, path):
        self.self_ir = collections.Counter()
        self.incl_ir = collections.Counter()
        self.calls = collections.Counter()  # (caller key, callee key) -> Ir of those calls, callees included
        self.call_count = collections.Counter()  # callee key -> times called
        self.total = 0
        names = {"ob": {}, "fl": {}, "fn": {}}
        kind_of = {"ob": "ob", "cob": "ob", "fl": "fl", "fi": "fl", "fe": "fl", "cfi": "fl", "cfl": "fl",
                   "fn": "fn", "cfn": "fn"}
        npos = 1
        ob = fn = cfn = cob = None
        in_call = False
        summary = None

        def name(kind, value):
            m = re.match(r"\((\d+)\)(?: (.*))?$", value)
            if not m:
                return value
            if m.group(2) is not None:
                names[kind][m.group(1)] = m.group(2)
                return m.group(2)
            return names[kind].get(m.group(1), "?")

        with open(path, errors="replace") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line:
                    continue
                c = line[0]
                if c.isdigit() or c in "+-*":
                    parts = line.split()
                    ir = int(parts[npos]) if len(parts) > npos else 0
                    key = (ob, fn)
                    if in_call:
                        in_call = False
                        if cfn != fn:  # a recursive call is already in the caller's own cost
                            self.incl_ir[key] += ir
                            self.calls[(key, (cob or ob, cfn))] += ir
                        cob = None
                    else:
                        self.self_ir[key] += ir
                        self.incl_ir[key] += ir
                        self.total += ir
                    continue
                if "=" in line and line.split("=", 1)[0] in kind_of or line.startswith("calls="):
                    k, v = line.split("=", 1)
                    if k == "calls":
                        in_call = True
                        self.call_count[(cob or ob, cfn)] += int(v.split()[0])
                        continue
                    value = name(kind_of[k], v)
                    if k == "ob":
                        ob = value
                    elif k == "fn":
                        fn = value
                        cfn = None
                    elif k == "cfn":
                        cfn = value
                    elif k == "cob":
                        cob = value
                    continue
                if line.startswith("positions:"):
                    npos = len(line.split()[1:])
                elif line.startswith("events:"):
                    if line.split()[1] != "Ir":
                        raise SystemExit("%s: first event is not Ir: %s" % (path, line))
                elif line.startswith("summary:") or line.startswith("totals:"):
                    summary = int(line.split()[1])
        # callgrind's own "summary:" (its running counter since the zero) comes out about 2% below
        # the sum of the functions' costs ("totals:"); the figures here are the sum, so that the
        # breakdowns add up to the whole.
        self.summary = summary


def demangled(names):
    """Swift names demangled in one `swift demangle` run, others unchanged."""
    names = list(names)
    if not names:
        return {}
    p = subprocess.run(["swift", "demangle", "--compact"], input="\n".join(names) + "\n",
                       capture_output=True, text=True)
    out = p.stdout.split("\n")
    if p.returncode != 0 or len(out) < len(names):
        return {n: n for n in names}
    return dict(zip(names, out))


def short_object(path):
    return os.path.basename(path or "?")


def prepare(binary, work):
    """The binary without debug info, and the sigsuspend shim, in `work`."""
    stripped = os.path.join(work, "amqtop-nodebug")
    subprocess.run(["objcopy", "--strip-debug", binary, stripped], check=True)
    shim = os.path.join(work, "sigsuspend_shim.so")
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", shim, os.path.join(HERE, "sigsuspend_shim.c")], check=True)
    return stripped, shim


def write_config(fleet, work, mode, timeout):
    path = os.path.join(work, "fleet-%s.yaml" % mode)
    with open(fleet.config) as src, open(path, "w") as dst:
        for line in src:
            if mode == "nolocks" and "lockFile:" in line:
                continue
            if line.startswith("timeout:"):
                line = "timeout: %s\n" % timeout
            dst.write(line)
    return path


def control(pid, prefix, *args):
    p = subprocess.run(["callgrind_control", "--vgdb-prefix=" + prefix] + list(args) + [str(pid)],
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise RuntimeError("callgrind_control %s: %s%s" % (" ".join(args), p.stdout, p.stderr))


def measure(args, binary, shim, fleet, config, work, tag):
    """One dashboard under callgrind: (Ir in the window, polls answered, window seconds, dump path)."""
    out = os.path.join(work, "cg-%s" % tag)
    os.makedirs(out)
    env = state_env(work, tag)
    env["LD_PRELOAD"] = shim
    # vgdb's FIFOs in a directory of this run's own: the default (/tmp/vgdb-pipe-...-PID) is
    # named by pid, and pids in a fresh namespace repeat, so a FIFO left by an earlier run's
    # killed valgrind would answer for this one (callgrind_control then hangs).
    prefix = os.path.join(out, "vgdb")
    argv = ["valgrind", "--tool=callgrind", "--vgdb-prefix=" + prefix, "--callgrind-out-file=%s/callgrind.out.%%p" % out,
            "--log-file=%s/valgrind.log" % out] + args.valgrind_flag + [binary, "--config", config]
    p = PtyRun(argv, 200, 60, env=env, name="callgrind-" + tag)
    try:
        _, end = p.wait_match(b"amqtop", args.start_timeout)
        t_complete, _ = p.wait_match(TIME_RE, args.start_timeout, after_offset=end or 0)
        if t_complete is None:
            log = open(os.path.join(out, "valgrind.log"), errors="replace").read()[-2000:]
            raise RuntimeError("dashboard under callgrind never completed a poll round; valgrind.log ends:\n" + log)
        time.sleep(args.warmup)
        pid = p.proc.pid
        r0 = fleet.requests()
        control(pid, prefix, "--zero")
        r0b, t0 = fleet.requests(), time.time()
        time.sleep(args.seconds)
        r1, t1 = fleet.requests(), time.time()
        control(pid, prefix, "--dump=window")
        r1b = fleet.requests()
        if p.proc.poll() is not None:
            raise RuntimeError("the dashboard exited during the window")
    finally:
        p.close()
    dumps = sorted(glob.glob(os.path.join(out, "callgrind.out.*.1")))
    if not dumps:
        raise RuntimeError("callgrind wrote no window dump in %s" % out)
    # The counters were zeroed between r0 and r0b and dumped between r1 and r1b: count the polls
    # from the middle of the one to the middle of the other, and say how wide that margin was.
    polls = ((r1 + r1b) - (r0 + r0b)) / 2.0
    margin = ((r0b - r0) + (r1b - r1)) / 2.0
    return dumps[0], polls, margin, t1 - t0


SCREEN_ROOTS = ("DashboardRenderer.render(", "CursesLoop.run(")  # rendering a frame; diffing and drawing it
STAGES = [  # (stage, a substring of the demangled name of the function that is its entry point)
    ("Jolokia answer parse", "JolokiaResponseParser.observation(fromBulkRead:"),
    ("  of which the JSON reader", "JSONReader.parse<"),
    ("socket readable to decoded HTTP answer (NIO, llhttp, exchange handler)", "BaseSocketChannel.(readable0"),
    ("request write and deadline (exchange handler start)", "HTTPExchangeHandler.start("),
    ("lock-file probe, per file read", "LockFileReader.read(path:"),
    ("  of which /proc/locks parsing", "ProcLock.parse("),
    ("  of which /proc/self/mountinfo parsing", "MountInfo.parse("),
    ("reducer", "Reducer.reduce("),
    ("  group assessment", "GroupAssessor.assess("),
    ("history recorder (failover detection, SQLite writes)", "HistoryRecorder.observe("),
    ("screen: render a frame", "DashboardRenderer.render("),
    ("screen: diff a frame", "BufferDiff.init(from:"),
    ("screen: draw a frame", "CellWriter.draw("),
]


def screen_cost(profile, label):
    """(Ir of rendering, diffing and drawing frames, frames rendered) in the window.

    The screen's cost goes with frames, not polls (about a frame a second whatever the fleet's
    size), so it is split off: per poll at 30 brokers it is ten times what it is at 300."""
    screen = 0
    frames = 0
    for pattern in SCREEN_ROOTS:
        rows = [(ir, key) for key, ir in profile.incl_ir.items()
                if pattern in label(key) and ir <= profile.total and "'" not in (key[1] or "")]
        if rows:
            ir, key = max(rows)
            screen += ir
            if pattern == SCREEN_ROOTS[0]:
                frames = max(profile.call_count[k] for _, k in rows)
    return screen, frames


def stages(profile, label):
    """[(stage, Ir, calls, key or None)]: each stage's entry point, inclusive, and how often it ran.

    Synchronous functions only: their inclusive costs are trustworthy, unlike those of async
    ones. Ir per call does not depend on how many polls valgrind kept up with, so it is the
    figure to compare between binaries first."""
    out = []
    for title, pattern in STAGES:
        rows = [(ir, key) for key, ir in profile.incl_ir.items()
                if pattern in label(key) and ir <= profile.total and "'" not in (key[1] or "")]
        if not rows:
            out.append((title, 0, 0, None))
            continue
        ir, key = max(rows)
        out.append((title, ir, profile.call_count[key], key))
    return out


def print_stages(profile, polls, label):
    for title, ir, calls, key in stages(profile, label):
        if key is None:
            print("%5s  %9s  %8s  %9s  %s [not seen]" % ("-", "-", "-", "-", title))
            continue
        print("%5.1f%%  %9.0f  %8.2f  %9.0f  %s [%s]" % (100.0 * ir / max(1, profile.total), ir / max(1, polls),
                                                       calls / max(1, polls), ir / max(1, calls), title,
                                                       label(key)[:110]))


def report(profile, polls, top, binary_name):
    names = demangled(sorted(set(fn for _, fn in profile.self_ir if fn)))

    def label(key):
        ob, fn = key
        return names.get(fn, fn or "?")

    def group(key):
        ob, fn = key
        return group_of("%s %s %s" % (short_object(ob), fn or "", label(key)))

    def per_poll(ir):
        return "%5.1f%%  %9.0f" % (100.0 * ir / max(1, profile.total), ir / max(1, polls))

    screen, frames = screen_cost(profile, label)
    print("screen: %.0f Ir per broker poll (%.1f%%), %d frames (%.0f Ir a frame: %s, inclusive); "
          "the rest, %.0f Ir per broker poll, is the poll path"
          % (screen / max(1, polls), 100.0 * screen / max(1, profile.total), frames, screen / max(1, frames),
             " + ".join(SCREEN_ROOTS), (profile.total - screen) / max(1, polls)))

    grouped = collections.Counter()
    for key, ir in profile.self_ir.items():
        grouped[group(key)] += ir
    print("\nexclusive Ir by group: share, Ir per broker poll")
    for name, ir in grouped.most_common():
        print("%s  %s" % (per_poll(ir), name))

    print("\nstages, inclusive: share, Ir per broker poll, calls per poll, Ir per call, stage [function]")
    print_stages(profile, polls, label)

    print("\nexclusive (self) top %d: share, Ir per broker poll, function [object]" % top)
    for key, ir in profile.self_ir.most_common(top):
        print("%s  %s  [%s]" % (per_poll(ir), label(key)[:150], short_object(key[0])))

    # Inclusive costs through Swift's async functions are not trustworthy: a task switch or a
    # resumed continuation looks to callgrind like a call from whatever ran before, so runtime
    # and dispatch entry points add up to more than the whole. Listed here: amqtop's own
    # functions (the binary) whose inclusive cost is below the whole, without the "'2"
    # recursion copies.
    print("\ninclusive (with callees) top %d of the amqtop binary's functions: share, Ir per broker poll, function" % top)
    shown = 0
    last = 0
    for key, ir in profile.incl_ir.most_common():
        ob, fn = key
        if short_object(ob) != binary_name or ir > profile.total or "'" in (fn or ""):
            continue
        if last and abs(ir - last) <= 0.001 * last:  # a thunk or forwarder of the function above
            continue
        last = ir
        print("%s  %s" % (per_poll(ir), label(key)[:150]))
        shown += 1
        if shown == top:
            break


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="the amqtop binary (a release build)")
    ap.add_argument("--groups", type=int, default=10)
    ap.add_argument("--per-group", type=int, default=3)
    ap.add_argument("--warmup", type=float, default=20, help="seconds after the first complete round")
    ap.add_argument("--seconds", type=float, default=30, help="the counted window")
    ap.add_argument("--runs", type=int, default=2, help="dashboards per mode, to check the count repeats")
    ap.add_argument("--modes", default="locks,nolocks")
    ap.add_argument("--timeout", default="10s", help="the config's timeout: under valgrind")
    ap.add_argument("--min-rate", type=float, default=0.95,
                    help="an attempt counts only if this share of the expected polls were answered")
    ap.add_argument("--start-timeout", type=float, default=180)
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--keep", help="directory to keep the callgrind files in (callgrind_annotate reads them)")
    ap.add_argument("--valgrind-flag", action="append", default=[], help="extra valgrind flag (repeatable)")
    ap.add_argument("--shared-proc", action="store_true",
                    help="stay in this machine's pid namespace (its /proc/locks, with everyone's locks)")
    args = ap.parse_args()
    if not args.shared_proc and os.environ.get("CALLGRIND_POLLS_NAMESPACE") != "1":
        # The lock probe parses /proc/locks on every read, at ~58k Ir a line, and the machine's
        # list comes and goes with other people's brokers (13 to 124 lines in one afternoon).
        # In a pid namespace of its own (with its own /proc) the list holds only the fake
        # fleet's 10 locks, so runs compare. Everything started in it ends with it.
        if shutil.which("unshare") is None:
            raise SystemExit("callgrind_polls: unshare (util-linux) is needed, or --shared-proc")
        os.environ["CALLGRIND_POLLS_NAMESPACE"] = "1"
        argv = ["unshare", "--pid", "--fork", "--mount-proc", sys.executable, os.path.abspath(__file__)] + sys.argv[1:]
        sys.stdout.flush()
        os.execvp("unshare", argv)
    for tool in ("valgrind", "callgrind_control", "objcopy", "cc", "swift"):
        if shutil.which(tool) is None:
            raise SystemExit("callgrind_polls: %s is needed" % tool)
    if not (os.path.isfile(args.bin) and os.access(args.bin, os.X_OK)):
        raise SystemExit("callgrind_polls: --bin %s: not an executable file" % args.bin)
    modes = [m for m in args.modes.split(",") if m]
    for m in modes:
        if m not in ("locks", "nolocks"):
            raise SystemExit("callgrind_polls: --modes: unknown mode %r (locks, nolocks)" % m)
    work = args.keep or tempfile.mkdtemp(prefix="amqtop-callgrind-")
    os.makedirs(work, exist_ok=True)
    try:
        binary, shim = prepare(os.path.abspath(args.bin), work)
        fleet = FakeFleet(work, groups=args.groups, per_group=args.per_group)
    except BaseException:
        stop_all()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        raise
    brokers = len(fleet.brokers)
    print("callgrind_polls: %s, %d brokers in %d groups, poll 1s, lockPoll 250ms, timeout %s; warm-up %g s, window %g s"
          % (args.bin, brokers, args.groups, args.timeout, args.warmup, args.seconds))
    print("load average at start: %s; /proc/locks: %d lines (the lock probe parses it; %s)"
          % (open("/proc/loadavg").read().strip(), sum(1 for _ in open("/proc/locks")),
             "this machine's, shared" if args.shared_proc else "a pid namespace of its own: the fleet's locks only"))
    results = collections.defaultdict(list)
    try:
        for mode in modes:
            config = write_config(fleet, work, mode, args.timeout)
            good = attempt = 0
            while good < args.runs and attempt < args.runs + 2:
                attempt += 1
                proc_locks = sum(1 for _ in open("/proc/locks"))
                dump, polls, margin, window = measure(args, binary, shim, fleet, config, work,
                                                      "%s-%d" % (mode, attempt))
                profile = Profile(dump)
                per_poll = profile.total / max(1, polls)
                names = demangled(sorted(set(fn for _, fn in profile.incl_ir if fn)))

                def label(key):
                    return names.get(key[1], key[1] or "?")

                screen, frames = screen_cost(profile, label)
                kept_up = polls / window >= args.min_rate * brokers
                print("\n==== %s, attempt %d: %.0f Ir per broker poll (%d Ir over %.0f polls in %.1f s, %.1f polls/s of %d "
                      "expected; +-%.0f polls at the window's edges; callgrind's summary line %s; /proc/locks %d lines); "
                      "dump %s" % (mode, attempt, per_poll, profile.total, polls, window, polls / window, brokers, margin,
                                   profile.summary, proc_locks, dump))
                if not kept_up:
                    # Time-driven work (frames, lock reads, timers) then falls on fewer polls and
                    # the figure is not comparable: count this attempt out and try again.
                    print("valgrind fell behind (below %.0f%% of the polls expected): not counted" % (100 * args.min_rate))
                    continue
                good += 1
                results[mode].append((per_poll, (profile.total - screen) / max(1, polls), screen / max(1, frames), frames,
                                      [(title, ir / max(1, calls)) for title, ir, calls, key in stages(profile, label)]))
                if good == args.runs:
                    report(profile, polls, args.top, os.path.basename(binary))
                else:
                    print_stages(profile, polls, label)
    finally:
        fleet.close()
        stop_all()
        if not args.keep:  # the fleet's lock files, the copies, the callgrind files: gone, also on failure
            shutil.rmtree(work, ignore_errors=True)
    print("\nsummary, Ir per broker poll (user space only; the kernel is not counted by callgrind); each run:"
          " all, without the screen (the poll path), and Ir per frame:")
    for mode, runs in results.items():
        def spread(values):
            return 100.0 * (max(values) - min(values)) / min(values) if values else 0
        print("  %-8s all %s (spread %.1f%%); poll path %s (spread %.1f%%); per frame %s"
              % (mode, " ".join("%.0f" % r[0] for r in runs), spread([r[0] for r in runs]),
                 " ".join("%.0f" % r[1] for r in runs), spread([r[1] for r in runs]),
                 " ".join("%.0f (%d frames)" % (r[2], r[3]) for r in runs)))
        if runs:
            for i, (title, _) in enumerate(runs[0][4]):
                print("    Ir per call, %s: %s" % (title.strip(), " ".join(("%.0f" % r[4][i][1]) if r[4][i][1] else "-"
                                                                    for r in runs)))
    if any(len(runs) < args.runs for runs in results.values()) or len(results) < len(modes):
        print("note: fewer runs than asked kept up with the fleet (a loaded machine): see the attempts above")
    print("load average at end: %s; /proc/locks: %d lines"
          % (open("/proc/loadavg").read().strip(), sum(1 for _ in open("/proc/locks"))))


if __name__ == "__main__":
    main()
