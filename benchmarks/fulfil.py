"""Issue 22's write-path figure: a full Dropship fulfilment per order, one connector, real server processes.

    .venv/bin/python benchmarks/fulfil.py [--orders 600] [--threads 4] [--rounds 2] [--workers 2] [--db URL]
                                          [--before DIR (another checkout, run interleaved with this one)]

One connector (one POB, one token) drives each order through acknowledge, invoice, label and dispatch
(a one-order manifest): four POSTs, from --threads client threads on keep-alive connections
(http.client, the lightest client the standard library has), against `ajio-sim serve --workers N
--po-lag 0` on a fresh store; orders/s is orders done over wall time. The same client, the same
four calls with the same bodies, against benchmarks/bare_app.py under gunicorn sync workers (the
baseline every figure here is compared with) gives the machine's ceiling in the same run. Rounds
alternate ajio-sim, bare Flask (and --before). Bounded: --orders per round, 127.0.0.1 only.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from scale import BareApp, fresh_db  # noqa: E402

from fixtures.simclient import HttpTransport, ServerProcess, Sim  # noqa: E402

PARCEL = {"weight_grams": 450, "length_cm": 30, "breadth_cm": 22, "height_cm": 4}


class Client:
    """One keep-alive connection (reopened when the server closes it, as gunicorn's sync worker does)."""

    def __init__(self, port: int, token: str | None) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Content-Type": "application/json", **({"apiKey": token} if token else {})}

    def post(self, path: str, body: dict) -> tuple[int, dict]:
        self.conn.request("POST", path, json.dumps(body), self.headers)
        r = self.conn.getresponse()
        data = r.read()
        if r.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return r.status, json.loads(data)


def fulfil(client: Client, order_id: str) -> None:
    status, _ = client.post("/ds/orders", {"order_id": order_id, "status": "Acknowledge", "order_lines": []})
    assert status == 200, (status, order_id)
    status, inv = client.post(f"/ds/orders/{order_id}/invoice", {})
    assert status == 200, (status, inv)
    status, label = client.post(f"/ds/orders/{order_id}/label", PARCEL)
    assert status == 200, (status, label)
    status, out = client.post("/ds/orders/dispatch", {"dispatchItems": [{
        "masterAWB": label["tracking_number"], "orderId": order_id, "invoiceNo": inv["invoice_number"]}]})
    assert status == 200, (status, out)


def drive(port: int, token: str | None, order_ids: list[str], threads: int) -> float:
    """Orders per second through the four calls, --threads connections sharing one queue of orders."""
    work: queue.Queue = queue.Queue()
    for order_id in order_ids:
        work.put(order_id)
    errors: list[BaseException] = []

    def run():
        client = Client(port, token)
        while not errors:
            try:
                order_id = work.get_nowait()
            except queue.Empty:
                return
            try:
                fulfil(client, order_id)
            except BaseException as exc:  # reported after the round, never swallowed
                errors.append(exc)
    pool = [threading.Thread(target=run) for _ in range(threads)]
    start = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    took = time.perf_counter() - start
    if errors:
        raise errors[0]
    return len(order_ids) / took


def load() -> str:
    return os.getloadavg().__repr__()


def ajio_round(args, python: str | None) -> float:
    env = None
    if python:  # another checkout: its own sources first on the path
        env = {**os.environ, "PYTHONPATH": f"{python}:{python}/src"}
    db = fresh_db(args)
    server = _server_with_env(db, args, env or {})
    try:
        sim = Sim(HttpTransport(server.base_url))
        pob = sim.seller(shipping_api_access=True)
        order_ids = sim.place(pob["pob_id"], args.orders + args.threads * 5)
        token = sim.login(pob)
        port = int(server.base_url.rsplit(":", 1)[1])
        drive(port, token, order_ids[:args.threads * 5], args.threads)  # warm up: connections, caches
        return drive(port, token, order_ids[args.threads * 5:], args.threads)
    finally:
        server.stop()


def _server_with_env(db: str, args, env: dict) -> ServerProcess:
    old = os.environ.copy()
    os.environ.update(env)
    try:
        return ServerProcess(db, "--workers", str(args.workers), "--po-lag", "0")
    finally:
        os.environ.clear()
        os.environ.update(old)


def bare_round(args, bare: BareApp) -> float:
    ids = [f"ORD{i:08d}" for i in range(args.orders + args.threads * 5)]
    drive(bare.port, None, ids[:args.threads * 5], args.threads)
    return drive(bare.port, None, ids[args.threads * 5:], args.threads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=600)
    parser.add_argument("--threads", type=int, default=4, help="the connector's concurrent connections")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", default=None, help="store URL (default: a fresh file SQLite per round)")
    parser.add_argument("--before", default=None, help="a checkout of other code, run interleaved (A B A B)")
    args = parser.parse_args()
    bare = BareApp({"orders": [], "page": {}}, args.workers)
    results: dict[str, list[float]] = {}
    try:
        for r in range(args.rounds):
            variants = [("ajio-sim", lambda: ajio_round(args, None)), ("bare Flask", lambda: bare_round(args, bare))]
            if args.before:
                variants.insert(1, ("before", lambda: ajio_round(args, args.before)))
            for name, run in variants:
                before_load = load()
                rate = run()
                results.setdefault(name, []).append(rate)
                print(f"round {r} {name:10s}: {rate:7.1f} orders/s ({args.orders} orders, {args.threads} threads, "
                      f"{args.workers} workers); load {before_load} -> {load()}", flush=True)
    finally:
        bare.stop()
    for name, rates in results.items():
        print(f"{name:10s}: {' '.join(f'{x:.1f}' for x in rates)} orders/s; mean {sum(rates) / len(rates):.1f}")
    if "bare Flask" in results:
        ours = sum(results["ajio-sim"]) / sum(results["bare Flask"])
        print(f"ratio ajio-sim / bare Flask (same client, same four calls): {ours:.2f}")
    subprocess.run(["uptime"])


if __name__ == "__main__":
    main()
