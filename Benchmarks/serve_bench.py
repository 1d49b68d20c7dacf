#!/usr/bin/env python3
"""The cost of `amqtop serve` beside the 300-broker fake fleet: CPU share, RSS, and one scrape.

    python3 Benchmarks/serve_bench.py --bin PATH/TO/amqtop [--seconds 30] [--scrapes 50]

Starts the fake fleet (100 groups of 3, Benchmarks/fakefleet.py), runs `serve` on it on a
free loopback port, samples its CPU time over the window while Prometheus-like scrapes run
once a second, then times `--scrapes` scrapes back to back. Every process is stopped at the end.
"""
import argparse, os, shutil, sys, tempfile, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchlib import FakeFleet, cpu_seconds, free_ports, log, spawn, stats, status_kb, stop, stop_all  # noqa: E402


def scrape(url, accept=None):
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=5) as answer:
        body = answer.read()
    return time.perf_counter() - start, len(body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--scrapes", type=int, default=50)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="amqtop-serve-bench-")
    fleet = None
    try:
        fleet = FakeFleet(work, groups=100, per_group=3)
        port = free_ports(1)[0]
        env = dict(os.environ, XDG_STATE_HOME=os.path.join(work, "state"))
        out = open(os.path.join(work, "serve.log"), "w")
        serve = spawn([args.bin, "serve", "--config", fleet.config, "--listen", "127.0.0.1:%d" % port],
                      env=env, stdout=out, stderr=out, stdin=open(os.devnull))
        base = "http://127.0.0.1:%d" % port
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(base + "/healthz", timeout=2).status == 200:
                    break
            except Exception:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError("serve never healthy: %s" % open(out.name).read()[-600:])
        time.sleep(3)
        c0, t0 = cpu_seconds(serve.pid), time.time()
        while time.time() - t0 < args.seconds:
            scrape(base + "/metrics")
            time.sleep(1)
        c1, t1 = cpu_seconds(serve.pid), time.time()
        share = (c1 - c0) / (t1 - t0)
        times, size = [], 0
        for _ in range(args.scrapes):
            elapsed, size = scrape(base + "/metrics")
            times.append(elapsed)
        om_times = [scrape(base + "/metrics", "application/openmetrics-text")[0] for _ in range(args.scrapes)]
        hwm, rss = status_kb(serve.pid, "VmHWM"), status_kb(serve.pid, "VmRSS")
        st, om = stats(times), stats(om_times)
        log("serve: %d brokers, %.1f%% of a core over %.0f s (with a scrape a second), VmRSS %.1f MB, VmHWM %.1f MB"
            % (len(fleet.brokers), 100 * share, t1 - t0, rss / 1024, hwm / 1024))
        log("serve: one scrape %.1f ms median (%.1f-%.1f, n=%d), %d bytes; OpenMetrics %.1f ms median"
            % (1000 * st["median"], 1000 * st["min"], 1000 * st["max"], st["n"], size, 1000 * om["median"]))
        stop(serve)
    finally:
        stop_all()
        if fleet is not None:
            fleet.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
