"""The demo world `serve --demo` creates: one seller, three Dropship POBs, orders waiting."""
from __future__ import annotations

from sqlalchemy import select

from simulator.domain import orders, sellers
from simulator.store import pobs

DEMO_POBS = (
    {"store_code": "DEMO-BLR-01", "einvoicing": False, "shipping_api_access": True, "orders": 12},
    {"store_code": "DEMO-MUM-01", "einvoicing": True, "shipping_api_access": True, "orders": 6},
    {"store_code": "DEMO-DEL-01", "einvoicing": False, "shipping_api_access": False, "orders": 3},
)


def ensure_demo(sim) -> list[dict]:
    """Create the demo world once; on a later start over the same database, list it again."""
    with sim.store.read() as conn:
        existing = conn.execute(select(pobs).where(pobs.c.store_code.in_([p["store_code"] for p in DEMO_POBS]))
                                ).mappings().all()
    if existing:
        return [sellers.public_pob(dict(r)) for r in existing]

    def build(ctx):
        made, seller_id = [], None
        for spec in DEMO_POBS:
            pob = sellers.create_pob(ctx, model="ds", seller_id=seller_id, store_code=spec["store_code"],
                                     einvoicing=spec["einvoicing"], shipping_api_access=spec["shipping_api_access"])
            seller_id = pob["seller_id"]
            orders.place_orders(ctx, pob["pob_id"], count=spec["orders"], seed=1)
            made.append(pob)
        return made

    made, _ctx = sim.transact(build)
    return made
