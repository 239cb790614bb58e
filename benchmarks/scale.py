"""Issue 9's benchmarks against real server processes on 127.0.0.1 (never timed tests).

    .venv/bin/python benchmarks/scale.py pendency  [--orders 100000] [--rounds 2] [--duration 10]
    .venv/bin/python benchmarks/scale.py seed      [--orders 100000]
    .venv/bin/python benchmarks/scale.py pages     [--sizes 1000,100000,1000000]
    .venv/bin/python benchmarks/scale.py lifecycle [--orders 50]
    common: [--db URL (default: a fresh file SQLite)] [--workers 2] [--page-cache N (serve's; 0 = off)]

pendency: GET /ds/orders/pendency (20 a page) with N orders stored, against a bare Flask app that
answers a captured page of the same size (benchmarks/bare_app.py), both under gunicorn with the
same settings, interleaved A B A B; wrk -t2 -c16 for throughput, wrk -t1 -c1 for service latency.
seed: N orders through POST /_sim/orders (1,000 a call, the bulk path). pages: one-connection
latency of pendency page 0 as the store grows. lifecycle: wall time per order of place ..
delivered over HTTP, the simulated clock advanced by the control plane.
Needs `wrk` (Debian package) for pendency and pages. Every load is bounded in time and count.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fixtures.simclient import HttpTransport, ServerProcess, Sim  # noqa: E402

BATCH = 1000


def fresh_db(args) -> str:
    if args.db:
        return args.db
    return f"sqlite:///{tempfile.mkdtemp(prefix='ajio-bench-')}/bench.sqlite3"


def seed(sim: Sim, pob_id: str, count: int) -> float:
    start = time.perf_counter()
    left = count
    while left > 0:
        n = min(BATCH, left)
        sim.control("POST", "/orders", {"pob_id": pob_id, "count": n}, expect=201)
        left -= n
    return time.perf_counter() - start


def wrk(url: str, token: str | None, *, threads: int, conns: int, duration: int) -> dict:
    assert url.startswith("http://127.0.0.1:"), "load only ever goes to this machine's loopback"
    cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if token:
        cmd += ["-H", f"apiKey: {token}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True, timeout=duration + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = {m.group(1): _ms(m.group(2), m.group(3)) for m in re.finditer(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$",
                                                                             out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50_ms": pct.get("50"), "p99_ms": pct.get("99"),
            "non_2xx": int(errors.group(1)) if errors else 0}


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BareApp:
    """benchmarks/bare_app.py under gunicorn, with the settings `ajio-sim serve --workers N` uses."""

    def __init__(self, payload: dict, workers: int) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="ajio-bare-"))
        (self.dir / "payload.json").write_text(json.dumps(payload))
        self.port = _free_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.proc = subprocess.Popen(
            [str(gunicorn), "-w", str(workers), "-k", "sync", "--preload", "-b", f"127.0.0.1:{self.port}",
             "--timeout", "120", "--log-level", "warning", "--chdir", str(ROOT / "benchmarks"), "bare_app:app"],
            env={**os.environ, "BARE_PAYLOAD": str(self.dir / "payload.json")})
        self.url = f"http://127.0.0.1:{self.port}/ds/orders/pendency?page=0&size=20"
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("bare app did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)


def start(args, db: str) -> tuple[ServerProcess, Sim, dict, str]:
    extra = ["--page-cache", str(args.page_cache)] if args.page_cache is not None else []
    server = ServerProcess(db, "--workers", str(args.workers), *extra)
    sim = Sim(HttpTransport(server.base_url))
    pob = sim.seller()
    return server, sim, pob, sim.login(pob)


def cmd_pendency(args) -> None:
    server, sim, pob, token = start(args, fresh_db(args))
    try:
        took = seed(sim, pob["pob_id"], args.orders)
        print(f"seeded {args.orders} orders in {took:.1f} s")
        page = sim.ds("GET", "/orders/pendency?page=0&size=20", token)
        assert page.status == 200
        print(f"page: {len(page.json['orders'])} orders, {len(page.content)} bytes")
        bare = BareApp(page.json, args.workers)
        ours_url = f"{server.base_url}/ds/orders/pendency?page=0&size=20"
        try:
            rows = []
            for r in range(args.rounds):
                for name, url, tok in (("ajio-sim", ours_url, token), ("bare Flask", bare.url, None)):
                    load = wrk(url, tok, threads=2, conns=16, duration=args.duration)
                    one = wrk(url, tok, threads=1, conns=1, duration=max(3, args.duration // 2))
                    rows.append((r, name, load, one))
                    print(f"round {r} {name:10s}: {load['rps']:8.0f} rps (16 conns, non-2xx {load['non_2xx']}); "
                          f"one connection p50 {one['p50_ms']:.2f} ms p99 {one['p99_ms']:.2f} ms", flush=True)
            ours = [x[2]["rps"] for x in rows if x[1] == "ajio-sim"]
            base = [x[2]["rps"] for x in rows if x[1] == "bare Flask"]
            print(f"ratio ajio-sim / bare Flask (16 conns, mean of {args.rounds} rounds): "
                  f"{sum(ours) / sum(base):.2f}")
        finally:
            bare.stop()
    finally:
        server.stop()


def cmd_seed(args) -> None:
    server, sim, pob, _ = start(args, fresh_db(args))
    try:
        took = seed(sim, pob["pob_id"], args.orders)
        print(f"seeded {args.orders} orders through POST /_sim/orders ({BATCH} a call): {took:.1f} s, "
              f"{took / args.orders * 1000:.3f} ms/order")
    finally:
        server.stop()


def cmd_pages(args) -> None:
    server, sim, pob, token = start(args, fresh_db(args))
    try:
        stored = 0
        url = f"{server.base_url}/ds/orders/pendency?page=0&size=20"
        for size in (int(s) for s in args.sizes.split(",")):
            took = seed(sim, pob["pob_id"], size - stored)
            stored = size
            print(f"stored {stored} orders (seeding took {took:.1f} s)", flush=True)
            token = sim.login(pob)
            for r in range(args.rounds):
                one = wrk(url, token, threads=1, conns=1, duration=args.duration)
                print(f"  round {r}: {one['rps']:.0f} rps on one connection, p50 {one['p50_ms']:.2f} ms, "
                      f"p99 {one['p99_ms']:.2f} ms", flush=True)
    finally:
        server.stop()


def cmd_lifecycle(args) -> None:
    server, sim, pob, token = start(args, fresh_db(args))
    try:
        sim.control("POST", "/orders", {"pob_id": pob["pob_id"], "count": 1}, expect=201)  # warm up
        start_t = time.perf_counter()
        for _ in range(args.orders):
            [order_id] = sim.place(pob["pob_id"])
            sim.to_status(pob, order_id, "DELIVERED")
        took = time.perf_counter() - start_t
        print(f"full Dropship life (place, login, acknowledge, PO wait of 30 simulated min, login, invoice, label, "
              f"manifest, pickup, deliver) over HTTP: {took / args.orders * 1000:.1f} ms per order "
              f"({args.orders} orders, one after another)")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["pendency", "seed", "pages", "lifecycle"])
    parser.add_argument("--db", default=None, help="store URL (default: a fresh file SQLite)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--page-cache", type=int, default=None,
                        help="passed to serve (0: every pendency request reads its page from the store)")
    args = parser.parse_args()
    if args.command == "lifecycle" and args.orders == 100_000:
        args.orders = 50
    {"pendency": cmd_pendency, "seed": cmd_seed, "pages": cmd_pages, "lifecycle": cmd_lifecycle}[args.command](args)


if __name__ == "__main__":
    main()
