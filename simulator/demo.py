"""The demo world `serve --demo` creates: one seller, three Dropship POBs, orders in every state."""
from __future__ import annotations

from sqlalchemy import select

from simulator.config import DAY, HOUR
from simulator.domain import fulfilment, orders, returns, sellers
from simulator.domain.context import load
from simulator.store import pobs

DEMO_POBS = (
    {"store_code": "DEMO-BLR-01", "einvoicing": False, "shipping_api_access": True, "orders": 12},
    {"store_code": "DEMO-MUM-01", "einvoicing": True, "shipping_api_access": True, "orders": 6},
    {"store_code": "DEMO-DEL-01", "einvoicing": False, "shipping_api_access": False, "orders": 3},
)
PARCEL = {"weight_grams": 450, "length_cm": 30.0, "breadth_cm": 22.0, "height_cm": 4.0}


def ensure_demo(sim) -> list[dict]:
    """Create the demo world once; on a later start over the same database, list it again."""
    with sim.store.read() as conn:
        existing = conn.execute(select(pobs).where(pobs.c.store_code.in_([p["store_code"] for p in DEMO_POBS]))
                                ).mappings().all()
    if existing:
        return [sellers.public_pob(dict(r)) for r in existing]
    now = sim.now()
    start = now - 3 * DAY

    def build(ctx):
        made, placed, seller_id = [], [], None
        for spec in DEMO_POBS:
            pob = sellers.create_pob(ctx, model="ds", seller_id=seller_id, store_code=spec["store_code"],
                                     einvoicing=spec["einvoicing"], shipping_api_access=spec["shipping_api_access"])
            seller_id = pob["seller_id"]
            placed.append(orders.place_orders(ctx, pob["pob_id"], count=spec["orders"], seed=1))
            made.append(pob)
        return made, placed

    (made, placed), _ = sim.transact(build, now=start)
    _progress(sim, made[0]["pob_id"], placed[0], start, now)
    return made


def _progress(sim, pob_id: str, ids: list[str], start: int, now: int) -> None:
    """Walk the first POB's orders through AJIO's flow in the simulated past, so the demo shows
    every state: 5 awaiting acknowledgement, 2 confirmed, 1 cancelled by the customer, 1 invoiced,
    1 packed, 1 dispatched, 1 delivered and returned by the customer."""
    # ids[0:5] stay in pendency and ids[5:7] stay confirmed; the rest move on.
    cancelled, invoiced, packed, dispatched, returned = ids[7], ids[8], ids[9], ids[10], ids[11]

    def acknowledge(ctx):
        for order_id in ids[5:]:
            orders.acknowledge_order(ctx, pob_id, {"order_id": order_id, "status": "Acknowledge", "order_lines": []})
        orders.customer_cancel(ctx, cancelled, None)

    def fulfil(ctx):
        for order_id in (invoiced, packed, dispatched, returned):
            fulfilment.generate_invoice(ctx, pob_id, order_id)
        for order_id in (packed, dispatched, returned):
            fulfilment.generate_label(ctx, pob_id, order_id, PARCEL)
        items = []
        for order_id in (dispatched, returned):
            d = load(ctx, "order", order_id)["data"]
            items.append({"masterAWB": d["tracking_number"], "orderId": order_id,
                          "invoiceNo": d["invoice"]["invoice_number"]})
        fulfilment.dispatch_orders(ctx, pob_id, items)

    def deliver_and_return(ctx):
        fulfilment.courier_deliver(ctx, returned)
        returns.customer_return(ctx, returned, None, "SIZE_FIT_ISSUES")

    sim.transact(acknowledge, now=start + 10 * 60)
    sim.tick()  # POs issued at their due time, half an hour later
    sim.transact(fulfil, now=start + HOUR)
    sim.tick()  # the courier picks the manifest up a day later
    sim.transact(deliver_and_return, now=now - 2 * HOUR)
    sim.tick()
