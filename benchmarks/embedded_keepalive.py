"""The harness's in-process server (simulator/embedded.py): a call over a kept connection against a call
that opens its own (what werkzeug's handler made every call do before keep-alive), in one run.

    .venv/bin/python benchmarks/embedded_keepalive.py [--calls 2000] [--rounds 2]

Each call is a cached `GET /ds/orders/pendency` through a `requests.Session`; "new connection" sends
`Connection: close`, so the server closes after the answer and the session reconnects for the next. CPU
is this process's (client and server threads together, as in a soak), wall is per call.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fixtures.simclient import T0, HttpTransport, Sim  # noqa: E402
from simulator.embedded import InProcessServer  # noqa: E402


def bench(url: str, token: str, calls: int, close: bool) -> tuple[float, float]:
    session = requests.Session()
    headers = {"apiKey": token, **({"Connection": "close"} if close else {})}
    cpu0, wall0 = time.process_time(), time.monotonic()
    for _ in range(calls):
        r = session.get(url, headers=headers)
        assert r.status_code == 200, r.text
    return (time.process_time() - cpu0) / calls * 1000, (time.monotonic() - wall0) / calls * 1000


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--calls", type=int, default=2000)
    p.add_argument("--rounds", type=int, default=2)
    args = p.parse_args()
    server = InProcessServer(seed=7, start=T0)
    try:
        sim = Sim(HttpTransport(server.base_url))
        pob = sim.seller()
        sim.control("POST", "/orders", {"pob_id": pob["pob_id"], "count": 40}, expect=201)
        token = sim.login(pob)
        url = server.base_url + "/ds/orders/pendency?page=0&size=20"
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        for _ in range(args.rounds):
            for close in (True, False):
                cpu, wall = bench(url, token, args.calls, close)
                print(f"{'new connection' if close else 'kept alive':15s} {cpu:.2f} ms CPU, {wall:.2f} ms wall per call")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
