"""Quick in-process figures for the Dropship simulator: seeding, pendency latency, a forward life.

Not the issue-9 benchmarks (gunicorn, wrk, a bare-Flask baseline): a first look anyone can run.
    .venv/bin/python benchmarks/quick_ds.py [--orders 10000]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fixtures.simclient import PARCEL, T0, FlaskTransport, Sim  # noqa: E402
from simulator.app import create_app  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000, help="orders stored before timing pendency")
    args = parser.parse_args()
    app = create_app({"db_url": f"sqlite:///{tempfile.mkdtemp()}/quick.sqlite3", "frozen_at": T0})
    sim = Sim(FlaskTransport(app.test_client()))
    pob = sim.seller()

    start = time.perf_counter()
    for left in range(args.orders, 0, -1000):
        sim.place(pob["pob_id"], min(1000, left))
    seeded = time.perf_counter() - start
    print(f"seed {args.orders} orders via POST /_sim/orders: {seeded:.2f} s "
          f"({seeded / args.orders * 1000:.2f} ms/order)")

    token = sim.login(pob)
    for page in (1, 50):
        start = time.perf_counter()
        for _ in range(200):
            assert sim.ds("GET", f"/orders/pendency?size=20&page={page}", token).status == 200
        print(f"GET pendency page {page} (20 of {args.orders}): "
              f"{(time.perf_counter() - start) / 200 * 1000:.2f} ms/request")

    start = time.perf_counter()
    ids = sim.place(pob["pob_id"], 50)
    for order_id in ids:
        assert sim.acknowledge_all(token, order_id).status == 200
    sim.advance(1800)
    token = sim.login(pob)
    for order_id in ids:
        invoice = sim.ds("POST", f"/orders/{order_id}/invoice", token, {}).json
        label = sim.ds("POST", f"/orders/{order_id}/label", token, PARCEL).json
        sim.ds("POST", "/orders/dispatch", token, {"dispatchItems": [{
            "masterAWB": label["tracking_number"], "orderId": order_id, "invoiceNo": invoice["invoice_number"]}]})
        sim.control("POST", f"/orders/{order_id}/pickup", expect=200)
        sim.control("POST", f"/orders/{order_id}/deliver", expect=200)
    print(f"forward life per order (place .. delivered, 50 orders): "
          f"{(time.perf_counter() - start) / 50 * 1000:.1f} ms")


if __name__ == "__main__":
    main()
