#!/usr/bin/env python3
"""The cost of `amqtop serve` beside the 300-broker fake fleet: CPU share, RSS, and one scrape.

    python3 Benchmarks/serve_bench.py --bin PATH/TO/amqtop [--seconds 30] [--scrapes 50] [--tls] [--save-scrape FILE]

Starts the fake fleet (100 groups of 3, Benchmarks/fakefleet.py), runs `serve` on it on a
free loopback port, samples its CPU time over the window while Prometheus-like scrapes run
once a second, then times `--scrapes` scrapes back to back. Every process is stopped at the end.
`--tls` serves through a web config (a fresh self-signed certificate, basic auth with a bcrypt
hash, cost 10) and scrapes over HTTPS with the password, as a secured Prometheus would.
`--save-scrape FILE` keeps one Prometheus-text scrape (the input of Benchmarks/exposition-cost).
"""
import argparse, base64, http.client, os, shutil, ssl, subprocess, sys, tempfile, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchlib import FakeFleet, cpu_seconds, free_ports, log, spawn, stats, status_kb, stop, stop_all  # noqa: E402


AUTH = {}  # headers and TLS context of a --tls run
SSL_CONTEXT = None


def scrape(url, accept=None, keep=None):
    headers = dict(AUTH)
    if accept:
        headers["Accept"] = accept
    request = urllib.request.Request(url, headers=headers)
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=5, context=SSL_CONTEXT) as answer:
        body = answer.read()
    elapsed = time.perf_counter() - start
    if keep:
        with open(keep, "wb") as f:
            f.write(body)
    return elapsed, len(body)


def scrape_kept(connection, accept=None):
    """One scrape on a kept-alive connection, as Prometheus scrapes (no handshake per scrape)."""
    headers = dict(AUTH)
    if accept:
        headers["Accept"] = accept
    start = time.perf_counter()
    connection.request("GET", "/metrics", headers=headers)
    answer = connection.getresponse()
    body = answer.read()
    if answer.status != 200:
        raise RuntimeError("kept-alive scrape: HTTP %d" % answer.status)
    return time.perf_counter() - start, len(body)


def web_config(work):
    """A self-signed certificate for 127.0.0.1 and one bcrypt user; returns the web config's path."""
    global SSL_CONTEXT
    cert, key = os.path.join(work, "server.crt"), os.path.join(work, "server.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
                    "-subj", "/CN=bench", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    try:
        import crypt  # noqa: E402 (libcrypt's bcrypt; deprecated in 3.11, gone in 3.13)
        password = base64.b64encode(os.urandom(12)).decode()
        hashed = crypt.crypt(password, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1024))
    except ImportError:
        # The tests' fixed pair (Tests/IntegrationTests/Support/ServeWebFixture.swift), cost 10 too.
        password, hashed = "amqtop-serve-test-7d41c9e2b6a5", "$2b$10$37W20JjZiG71LpqOBqN5M.qpgqPixO8r4yBspzYHiHGwY82HKB7EK"
    path = os.path.join(work, "web.yml")
    with open(path, "w") as f:
        f.write("tls_server_config:\n  cert_file: %s\n  key_file: %s\nbasic_auth_users:\n  bench: '%s'\n" % (cert, key, hashed))
    SSL_CONTEXT = ssl.create_default_context(cafile=cert)
    AUTH["Authorization"] = "Basic " + base64.b64encode(("bench:" + password).encode()).decode()
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--scrapes", type=int, default=50)
    ap.add_argument("--tls", action="store_true", help="TLS and basic auth through a web config")
    ap.add_argument("--save-scrape", help="write one Prometheus-text scrape here")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="amqtop-serve-bench-")
    fleet = None
    try:
        fleet = FakeFleet(work, groups=100, per_group=3)
        port = free_ports(1)[0]
        env = dict(os.environ, XDG_STATE_HOME=os.path.join(work, "state"))
        out = open(os.path.join(work, "serve.log"), "w")
        extra = ["--web.config.file", web_config(work)] if args.tls else []
        serve = spawn([args.bin, "serve", "--config", fleet.config, "--listen", "127.0.0.1:%d" % port] + extra,
                      env=env, stdout=out, stderr=out, stdin=open(os.devnull))
        base = "%s://127.0.0.1:%d" % ("https" if args.tls else "http", port)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                request = urllib.request.Request(base + "/healthz", headers=AUTH)
                if urllib.request.urlopen(request, timeout=2, context=SSL_CONTEXT).status == 200:
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
        if args.save_scrape:
            scrape(base + "/metrics", keep=args.save_scrape)
        # serve's own CPU time over the back-to-back scrapes, less what polling took in that
        # time (the share above): a figure the machine's load does not stretch as it does wall time.
        c2, t2 = cpu_seconds(serve.pid), time.time()
        for _ in range(args.scrapes):
            elapsed, size = scrape(base + "/metrics")
            times.append(elapsed)
        c3, t3 = cpu_seconds(serve.pid), time.time()
        cpu_per_scrape = max(0.0, (c3 - c2) - share * (t3 - t2)) / args.scrapes
        om_times = [scrape(base + "/metrics", "application/openmetrics-text")[0] for _ in range(args.scrapes)]
        if args.tls:
            connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=5, context=SSL_CONTEXT)
            c4 = cpu_seconds(serve.pid)
            t4 = time.time()
            kept = [scrape_kept(connection)[0] for _ in range(args.scrapes)]
            c5, t5 = cpu_seconds(serve.pid), time.time()
            connection.close()
            kept_cpu = max(0.0, (c5 - c4) - share * (t5 - t4)) / args.scrapes
        hwm, rss = status_kb(serve.pid, "VmHWM"), status_kb(serve.pid, "VmRSS")
        st, om = stats(times), stats(om_times)
        log("serve: %s, load average %s" % ("TLS + basic auth" if args.tls else "plain HTTP", " ".join("%.1f" % x for x in os.getloadavg())))
        log("serve: %d brokers, %.1f%% of a core over %.0f s (with a scrape a second), VmRSS %.1f MB, VmHWM %.1f MB"
            % (len(fleet.brokers), 100 * share, t1 - t0, rss / 1024, hwm / 1024))
        log("serve: one scrape %.1f ms median (%.1f-%.1f, n=%d), %d bytes; OpenMetrics %.1f ms median; serve's CPU %.1f ms per scrape"
            % (1000 * st["median"], 1000 * st["min"], 1000 * st["max"], st["n"], size, 1000 * om["median"], 1000 * cpu_per_scrape))
        if args.tls:
            ks = stats(kept)
            log("serve: on one kept-alive TLS connection (as Prometheus scrapes): %.1f ms median (%.1f-%.1f), serve's CPU %.1f ms per scrape"
                % (1000 * ks["median"], 1000 * ks["min"], 1000 * ks["max"], 1000 * kept_cpu))
        stop(serve)
    finally:
        stop_all()
        if fleet is not None:
            fleet.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
