"""`GET /ds/orders?orderIds=` (50 ids) in-process: CPU per call as the POB's orders grow, and with POs issued
(a URL per order). The connector's status sync re-reads its held orders this way every run.

    .venv/bin/python benchmarks/orders_by_ids.py [--sizes 1000,20000] [--calls 100]

Flask's test client on an in-memory store (no server, no network): process CPU per call, best of 5 rounds
for the PO case. Not a timed test; compare two checkouts by running each.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from sqlalchemy import select  # noqa: E402

from fixtures.simclient import FlaskTransport, Sim  # noqa: E402
from simulator.app import create_app  # noqa: E402
from simulator.store import orders  # noqa: E402


def world(count: int):
    app = create_app({"db_url": "sqlite://", "seed": 1})
    sim = Sim(FlaskTransport(app.test_client()))
    pob = sim.seller()
    left = count
    while left > 0:
        sim.control("POST", "/orders", {"pob_id": pob["pob_id"], "count": min(1000, left)}, expect=201)
        left -= 1000
    return app, sim, pob


def per_call(client, url: str, token: str, calls: int) -> float:
    cpu = time.process_time()
    for _ in range(calls):
        r = client.get(url, headers={"apiKey": token})
        assert r.status_code == 200, r.json
    return (time.process_time() - cpu) / calls * 1000


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="1000,20000")
    p.add_argument("--calls", type=int, default=100)
    args = p.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        app, sim, pob = world(size)
        with app.extensions["ajio_sim"].store.read() as conn:  # the newest 50: the ones a connector holds
            ids = [r[0] for r in conn.execute(select(orders.c.order_id).order_by(orders.c.order_date.desc(),
                                                                                  orders.c.order_id).limit(50))]
        client = app.test_client()
        url = "/ds/orders?size=50&orderIds=" + ",".join(ids)
        token = sim.login(pob)
        per_call(client, url, token, 5)
        print(f"{size:>8} orders stored, 50 new ids: {per_call(client, url, token, args.calls):.2f} ms CPU per call")
    app, sim, pob = world(50)
    token = sim.login(pob)
    client = app.test_client()
    ids = [o["order_id"] for o in client.get("/ds/orders/pendency?size=50", headers={"apiKey": token}).json["orders"]]
    for order_id in ids:
        r = client.post("/ds/orders", json={"order_id": order_id, "status": "Acknowledge", "order_lines": []},
                        headers={"apiKey": token})
        assert r.status_code == 200, r.json
    sim.control("POST", "/clock/advance", {"seconds": 3600}, expect=200)  # the POs arrive
    token = sim.login(pob)
    url = "/ds/orders?size=50&orderIds=" + ",".join(ids)
    best = min(per_call(client, url, token, args.calls) for _ in range(5))
    print(f"      50 orders with POs (a PO URL each): {best:.2f} ms CPU per call")
    return 0


if __name__ == "__main__":
    sys.exit(main())
