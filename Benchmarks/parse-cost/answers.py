#!/usr/bin/env python3
"""Writes a master's and a slave's bulk-read answer, as the fake fleet sends them, to DIR.

The request is amqtop's own bulk read (the 11 attributes of `JolokiaObservation.attributes`,
`includeStackTrace: false`); the answers come from `fakefleet.py`'s `Broker.answer`, encoded
the way it encodes them on the wire. Stdlib only.

    python3 answers.py DIR
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fakefleet  # noqa: E402

ATTRIBUTES = ["Slave", "BrokerName", "BrokerId", "BrokerVersion", "UptimeMillis", "TransportConnectors",
              "DataDirectory", "CurrentConnectionsCount", "TotalMessageCount", "StorePercentUsage",
              "MemoryPercentUsage"]


def main():
    out = sys.argv[1]
    now_ms = int(time.time() * 1000)
    for role, master in (("master", True), ("slave", False)):
        name = "g001b1" if master else "g001b2"
        broker = fakefleet.Broker("g001", name, master, "/tmp/fleet/g001/data", now_ms - 3_600_000)
        mbean = "org.apache.activemq:type=Broker,brokerName=%s" % name
        requests = [{"attribute": a, "config": {"includeStackTrace": "false"}, "mbean": mbean, "type": "read"}
                    for a in ATTRIBUTES]
        payload = json.dumps([broker.answer(r, now_ms) for r in requests], separators=(",", ":")).encode()
        with open(os.path.join(out, role + ".json"), "wb") as f:
            f.write(payload)
        print("%s: %d bytes" % (role, len(payload)))


if __name__ == "__main__":
    main()
