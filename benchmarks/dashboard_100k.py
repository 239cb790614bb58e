"""Dashboard list pages over 100k orders: first and deep keyset pages, each filter, order page, journal.

Run by hand (never a timed test):  .venv/bin/python benchmarks/dashboard_100k.py [--orders 100000]
Orders are copies of Faker-made ones bulk-inserted with new ids, dates and statuses (placing 100k
through the API takes minutes and measures seeding, not the dashboard).
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from sqlalchemy import insert, select  # noqa: E402

from fixtures.simclient import T0, FlaskTransport, Sim  # noqa: E402
from simulator.app import create_app  # noqa: E402
from simulator.store import journal, orders  # noqa: E402

STATUSES = ("CREATED", "CONFIRMED", "INVOICED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED", "DELIVERED",
            "CANCELLED")


def timed(client, url: str, repeat: int = 20) -> tuple[float, str]:
    client.get(url)
    start = time.perf_counter()
    for _ in range(repeat):
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code, r.data[:300])
    return (time.perf_counter() - start) / repeat * 1000, r.get_data(as_text=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args()
    app = create_app({"db_url": f"sqlite:///{tempfile.mkdtemp()}/ui.sqlite3", "frozen_at": T0})
    sim = Sim(FlaskTransport(app.test_client()))
    pobs = [sim.seller()["pob_id"] for _ in range(4)]
    template_ids = sim.place(pobs[0], 20)
    store = app.extensions["ajio_sim"].store
    start = time.perf_counter()
    with store.write() as conn:
        templates = [dict(r) for r in conn.execute(select(orders).where(orders.c.order_id.in_(template_ids)))
                     .mappings()]
        batch = []
        for i in range(args.orders):
            t = templates[i % len(templates)]
            batch.append({**t, "order_id": f"FB{i:010d}", "pob_id": pobs[i % 4], "status": STATUSES[i % 8],
                          "order_date": T0 - 60 * (args.orders - i), "updated_at": T0})
            if len(batch) == 5000:
                conn.execute(insert(orders), batch)
                batch = []
        if batch:
            conn.execute(insert(orders), batch)
        conn.execute(insert(journal), [{"at": T0, "pob_id": pobs[i % 4], "method": "GET", "path": "/ds/orders",
                                        "query": None, "status": 200, "duration_ms": 1, "request_body": None,
                                        "response_body": "{}", "entity_ids": [f"FB{i:010d}"],
                                        "violations": None, "faults": None} for i in range(args.orders)])
    print(f"inserted {args.orders} orders and {args.orders} journal entries in {time.perf_counter() - start:.1f} s")
    client = app.test_client()
    cases = {
        "orders, no filter, first page": "/_sim/ui/orders",
        "orders, POB filter": f"/_sim/ui/orders?pob_id={pobs[1]}",
        "orders, POB + status": f"/_sim/ui/orders?pob_id={pobs[1]}&status=DELIVERED",
        "orders, status only": "/_sim/ui/orders?status=CANCELLED",
        "orders, model only": "/_sim/ui/orders?model=ds",
        "journal, newest first": "/_sim/ui/journal",
        "journal, POB filter": f"/_sim/ui/journal?pob_id={pobs[2]}",
    }
    for name, url in cases.items():
        ms, html = timed(client, url)
        print(f"{name:40s} {ms:7.1f} ms")
        nxt = re.search(r'<a href="([^"]+)" rel="next">', html)
        if nxt and name.startswith("orders"):
            # jump deep: a cursor near the oldest end
            deep = re.sub(r"after=\d+%3A\w+", f"after={T0 - 60 * (args.orders - 200)}%3AFB{200:010d}",
                          nxt.group(1).replace("&amp;", "&"))
            ms, _ = timed(client, deep)
            print(f"{name + ' (deep page)':40s} {ms:7.1f} ms")
    ms, _ = timed(client, f"/_sim/ui/orders/FB{args.orders // 2:010d}", repeat=5)
    print(f"{'order page (journal scan for its id)':40s} {ms:7.1f} ms")


if __name__ == "__main__":
    main()
