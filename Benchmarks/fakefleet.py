#!/usr/bin/env python3
"""A fleet of fake ActiveMQ brokers in one process, for the scale benchmark.

GROUPS groups of PER_GROUP brokers. Every broker gets its own 127.0.0.1 port that
answers Jolokia POSTs (the bulk read amqtop sends, and the `brokerName=*` discovery
read) with the bodies a lab broker gives: the first broker of each group as master
(Slave=false), the others as slaves (Slave=true; BrokerName/BrokerId fail with
"Broker is not yet started.", as on real ActiveMQ). HTTP/1.1 keep-alive, like Jetty.

Each group also gets a real lock file, DIR/gNNN/lock, held by this process with a POSIX
write lock (fcntl F_SETLK, as Java's FileChannel.tryLock does) and carrying the 8-byte
big-endian acquisition timestamp, so amqtop's lock probe does its real work too.

Writes DIR/amqtop.yaml and DIR/brokers.tsv (group, broker, url, role), then prints
"READY" and serves until SIGTERM/SIGINT; SIGUSR1 writes the number of requests answered
so far to DIR/requests.txt. Stdlib only.

    python3 fakefleet.py --dir DIR [--groups 100] [--per-group 3]
"""
import argparse
import asyncio
import fcntl
import json
import os
import signal
import socket
import struct
import time

STACK = ("java.lang.IllegalStateException: Broker is not yet started.\n\tat org.apache.activemq.broker.jmx."
         "BrokerView.safeGetBroker(BrokerView.java:620)\n")


class Broker:
    def __init__(self, group, name, master, data_dir, started_ms):
        self.group = group
        self.name = name
        self.master = master
        self.data_dir = data_dir
        self.started_ms = started_ms
        self.requests = 0

    def attribute(self, attr, now_ms):
        if attr == "Slave":
            return True, (not self.master)
        if attr in ("BrokerName", "BrokerId"):
            if not self.master:
                return False, None
            return True, self.name if attr == "BrokerName" else "ID:fake-%s-1" % self.name
        values = {
            "BrokerVersion": "5.17.2",
            "UptimeMillis": now_ms - self.started_ms,
            "TransportConnectors": {"openwire": "tcp://127.0.0.1:61616"} if self.master else {},
            "DataDirectory": self.data_dir,
            "CurrentConnectionsCount": 3 if self.master else 0,
            "TotalMessageCount": 42 if self.master else 0,
            "StorePercentUsage": 1,
            "MemoryPercentUsage": 0,
        }
        if attr in values:
            return True, values[attr]
        return None, None

    def answer(self, request, now_ms):
        ts = now_ms // 1000
        mbean = request.get("mbean", "")
        attr = request.get("attribute")
        echo = {"attribute": attr, "mbean": mbean, "type": request.get("type", "read")}
        if "brokerName=*" in mbean:
            key = "org.apache.activemq:brokerName=%s,type=Broker" % self.name
            return {"request": echo, "status": 200, "timestamp": ts, "value": {key: {"Slave": not self.master}}}
        if ("brokerName=%s" % self.name) not in mbean:
            err = "javax.management.InstanceNotFoundException"
            return {"error": "%s : %s" % (err, mbean), "error_type": err, "request": echo, "status": 404}
        ok, value = self.attribute(attr, now_ms)
        if ok is None:
            err = "javax.management.AttributeNotFoundException"
            return {"error": "%s : No such attribute: %s" % (err, attr), "error_type": err, "request": echo, "status": 404}
        if not ok:
            err = "java.lang.IllegalStateException"
            answer = {"error": err + " : Broker is not yet started.", "error_type": err, "request": echo,
                      "stacktrace": STACK, "status": 500}
            # Like Jolokia: no stack trace when the request's config says includeStackTrace false.
            if str((request.get("config") or {}).get("includeStackTrace", "true")).lower() == "false":
                del answer["stacktrace"]
            return answer
        return {"request": echo, "status": 200, "timestamp": ts, "value": value}


async def serve_connection(broker, reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            close = False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                lname = name.strip().lower()
                if lname == b"content-length":
                    length = int(value.strip() or 0)
                elif lname == b"connection" and value.strip().lower() == b"close":
                    close = True
            body = await reader.readexactly(length) if length else b""
            broker.requests += 1
            now_ms = int(time.time() * 1000)
            try:
                parsed = json.loads(body) if body else {}
                if isinstance(parsed, list):
                    answer = [broker.answer(r, now_ms) for r in parsed]
                else:
                    answer = broker.answer(parsed, now_ms)
                payload = json.dumps(answer, separators=(",", ":")).encode()
            except ValueError:
                payload = b'{"error":"bad json","status":400}'
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain;charset=utf-8\r\nCache-Control: no-cache\r\n"
                         b"Content-Length: %d\r\n%s\r\n" % (len(payload), b"Connection: close\r\n" if close else b"")
                         + payload)
            await writer.drain()
            if close:
                break
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


def take_lock(path, now_ms):
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 0)  # POSIX F_SETLK write lock, like tryLock(0, 1)
    os.pwrite(fd, struct.pack(">q", now_ms), 0)
    os.fsync(fd)
    return fd


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--per-group", type=int, default=3)
    parser.add_argument("--poll", default="1s")
    parser.add_argument("--lock-poll", default="250ms")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    started = int(time.time() * 1000)
    lock_fds = []
    servers = []
    brokers = []
    yaml = ["# Written by Benchmarks/fakefleet.py", "poll: %s" % args.poll, "lockPoll: %s" % args.lock_poll,
            "timeout: 2s", "groups:"]
    for g in range(1, args.groups + 1):
        gname = "g%03d" % g
        gdir = os.path.join(args.dir, gname)
        os.makedirs(gdir, exist_ok=True)
        lock_fds.append(take_lock(os.path.join(gdir, "lock"), started))
        yaml += ["  - name: %s" % gname, "    lockFile: %s/lock" % gdir, "    lockKeepAlivePeriod: 2s",
                 "    lockAcquireSleepInterval: 1s", "    brokers:"]
        for b in range(1, args.per_group + 1):
            broker = Broker(gname, "%s-b%d" % (gname, b), b == 1, gdir, started)
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
            server = await asyncio.start_server(
                lambda r, w, broker=broker: serve_connection(broker, r, w), sock=sock, backlog=64)
            servers.append(server)
            broker.url = "http://127.0.0.1:%d/api/jolokia" % port
            brokers.append(broker)
            yaml += ["      - name: %s" % broker.name, "        jolokia: %s" % broker.url]
    with open(os.path.join(args.dir, "amqtop.yaml"), "w") as f:
        f.write("\n".join(yaml) + "\n")
    with open(os.path.join(args.dir, "brokers.tsv"), "w") as f:
        for b in brokers:
            f.write("%s\t%s\t%s\t%s\n" % (b.group, b.name, b.url, "master" if b.master else "slave"))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    def dump_count():
        # SIGUSR1: the driver asks how many requests were answered so far.
        with open(os.path.join(args.dir, "requests.txt"), "w") as f:
            f.write("%d\n" % sum(b.requests for b in brokers))
    loop.add_signal_handler(signal.SIGUSR1, dump_count)
    print("READY %d brokers in %d groups" % (len(brokers), args.groups), flush=True)
    await stop.wait()
    total = sum(b.requests for b in brokers)
    print("served %d requests" % total, flush=True)
    for s in servers:
        s.close()
    for fd in lock_fds:
        os.close(fd)


if __name__ == "__main__":
    asyncio.run(main())
