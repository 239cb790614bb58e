"""Quick in-process figures for the VMS simulator: date-filtered listing, a forward life, ERP delivery.

A first look anyone can run (not timed tests):
    .venv/bin/python benchmarks/quick_vms.py [--orders 5000]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fixtures.simclient import T0, FlaskTransport, Sim  # noqa: E402
from fixtures.vmsworld import TestErp, VmsWorld  # noqa: E402
from simulator import erp_delivery  # noqa: E402
from simulator.app import create_app  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=5_000, help="orders stored before timing the list")
    args = parser.parse_args()
    app = create_app({"db_url": f"sqlite:///{tempfile.mkdtemp()}/quick.sqlite3", "frozen_at": T0})
    sim = Sim(FlaskTransport(app.test_client()))
    erp = TestErp()
    w = VmsWorld.create(sim, erp_url=erp.url)

    start = time.perf_counter()
    for left in range(args.orders, 0, -1000):
        w.place(min(1000, left))
    seeded = time.perf_counter() - start
    print(f"seed {args.orders} VMS orders via POST /_sim/orders: {seeded:.2f} s "
          f"({seeded / args.orders * 1000:.2f} ms/order)")

    start = time.perf_counter()
    for _ in range(200):
        assert w.vms("GET", f"/orders?fromDate={T0}&toDate={T0}&size=20&page=10").status == 200
    print(f"GET /vms/orders page 10 (20 of {args.orders}): {(time.perf_counter() - start) / 200 * 1000:.2f} ms/request")

    ids = w.place(50)
    start = time.perf_counter()
    for order_id in ids:
        w.acknowledge(order_id)
    w.advance(1800)
    for order_id in ids:
        po = w.ok(w.vms("GET", f"/orders/{order_id}/po"))
        w.ok(w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po)))
        w.ok(w.vms("GET", f"/orders/{order_id}/documents"))
        w.ok(w.vms("POST", "/manifests", {"orderIds": [order_id]}))
        sim.control("POST", f"/orders/{order_id}/pickup", expect=200)
        sim.control("POST", f"/orders/{order_id}/deliver", expect=200)
    print(f"forward life per order (acknowledge .. delivered, ERP invoice, 50 orders): "
          f"{(time.perf_counter() - start) / 50 * 1000:.1f} ms")

    start = time.perf_counter()
    sent = erp_delivery.deliver_due(app.extensions["ajio_sim"], limit=500)
    took = time.perf_counter() - start
    print(f"deliver {sent['delivered']} ERP postings to a local HTTP ERP: {took:.2f} s "
          f"({took / max(sent['delivered'], 1) * 1000:.1f} ms/posting)")
    erp.close()


if __name__ == "__main__":
    main()
