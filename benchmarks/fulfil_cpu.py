"""CPU time per Dropship fulfilment in-process (Flask test client, file SQLite): acknowledge, invoice, label,
dispatch of one order, --po-lag 0. `--profile` prints cProfile's view; `--statements` counts the statements
and commits each order sends to the store. ROOT=<a source tree> measures another version of the code.
    .venv/bin/python benchmarks/fulfil_cpu.py [--profile] [--statements] [--orders 300]
    (with --profile: SORT=cumulative, FILTER=<text>, CALLERS=<function> for who calls it)
"""
from __future__ import annotations

import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = os.environ.get("ROOT") or str(Path(__file__).resolve().parents[1])
sys.path[:0] = [ROOT, ROOT + "/tests"]

from fixtures.simclient import T0, FlaskTransport, Sim  # noqa: E402
from simulator.app import create_app  # noqa: E402

PARCEL = {"weight_grams": 450, "length_cm": 30, "breadth_cm": 22, "height_cm": 4}


def fulfil(client, headers, order_id: str) -> None:
    r = client.post("/ds/orders", json={"order_id": order_id, "status": "Acknowledge", "order_lines": []},
                    headers=headers)
    assert r.status_code == 200, r.json
    inv = client.post(f"/ds/orders/{order_id}/invoice", json={}, headers=headers)
    assert inv.status_code == 200, inv.json
    label = client.post(f"/ds/orders/{order_id}/label", json=PARCEL, headers=headers)
    assert label.status_code == 200, label.json
    r = client.post("/ds/orders/dispatch", headers=headers, json={"dispatchItems": [{
        "masterAWB": label.json["tracking_number"], "orderId": order_id, "invoiceNo": inv.json["invoice_number"]}]})
    assert r.status_code == 200, r.json


def main() -> None:
    n = int(sys.argv[sys.argv.index("--orders") + 1]) if "--orders" in sys.argv else 300
    app = create_app({"db_url": f"sqlite:///{tempfile.mkdtemp()}/f.sqlite3", "frozen_at": T0, "po_lag": 0})
    sim = Sim(FlaskTransport(app.test_client()))
    pob = sim.seller(shipping_api_access=True)
    ids = sim.place(pob["pob_id"], n + 50)
    client, headers = app.test_client(), {"apiKey": sim.login(pob)}
    for order_id in ids[:50]:
        fulfil(client, headers, order_id)
    ids = ids[50:]
    if "--statements" in sys.argv:
        from sqlalchemy import event
        counts = {"statements": 0, "commits": 0}
        engine = app.extensions["ajio_sim"].store.engine

        @event.listens_for(engine, "before_cursor_execute")
        def _count(*_a):
            counts["statements"] += 1

        @event.listens_for(engine, "commit")
        def _commit(*_a):
            counts["commits"] += 1
        for order_id in ids[:100]:
            fulfil(client, headers, order_id)
        print(f"per order through SQLAlchemy's Connection (the lean path is not counted): "
              f"{counts['statements'] / 100:.1f} statements, {counts['commits'] / 100:.1f} commits")
        return
    if "--profile" in sys.argv:
        prof = cProfile.Profile()
        prof.enable()
        for order_id in ids:
            fulfil(client, headers, order_id)
        prof.disable()
        pstats.Stats(prof).sort_stats(os.environ.get("SORT", "tottime")).print_stats(os.environ.get("FILTER", ""), 45)
        if os.environ.get("CALLERS"):
            pstats.Stats(prof).print_callers(os.environ["CALLERS"])
        return
    wall, cpu = time.perf_counter(), time.process_time()
    for order_id in ids:
        fulfil(client, headers, order_id)
    print(f"{ROOT}: per order ({n} orders): cpu {(time.process_time() - cpu) / n * 1000:.2f} ms, "
          f"wall {(time.perf_counter() - wall) / n * 1000:.2f} ms")


if __name__ == "__main__":
    main()
