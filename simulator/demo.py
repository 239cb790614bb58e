"""The demo world `serve --demo` creates: one seller, three Dropship POBs with orders in every state,
a JIT POB with purchase orders and a VMS POB with orders (so every model has a login to try)."""
from __future__ import annotations

from sqlalchemy import select

from simulator.config import HOUR, MINUTE
from simulator.domain import courier, sellers, world
from simulator.domain.context import load
from simulator.domain.ds import fulfilment, orders, returns
from simulator.domain.jit import fulfilment as jit_fulfilment
from simulator.domain.vms import orders as vms_orders
from simulator.store import pobs

DEMO_POBS = (
    {"store_code": "DEMO-BLR-01", "einvoicing": False, "shipping_api_access": True, "orders": 12},
    {"store_code": "DEMO-MUM-01", "einvoicing": True, "shipping_api_access": True, "orders": 6},
    {"store_code": "DEMO-DEL-01", "einvoicing": False, "shipping_api_access": False, "orders": 3},
)
# Beside the Dropship ones, added after them (an older demo database gets them on its next start).
DEMO_JIT = {"store_code": "DEMO-JIT-01", "einvoicing": False, "orders": 4}
DEMO_VMS = {"store_code": "DEMO-VMS-01", "orders": 5}
DEMO_CODES = [p["store_code"] for p in DEMO_POBS] + [DEMO_JIT["store_code"], DEMO_VMS["store_code"]]
PARCEL = {"weight_grams": 450, "length_cm": 30.0, "breadth_cm": 22.0, "height_cm": 4.0}


def ensure_demo(sim) -> list[dict]:
    """Create the demo world once; on a later start over the same database, list it again (adding
    the JIT and VMS POBs to a demo database made before they existed)."""
    existing = _existing(sim)
    now = sim.now()
    if not any(code in existing for code in DEMO_CODES[:len(DEMO_POBS)]):
        # Six hours back: far enough for the PO lag and a pickup, near enough that the pending orders are
        # still inside AJIO's acknowledgement SLA (24 h) and none is yet past its dispatch SLA (48 h).
        start = now - 6 * HOUR

        def build(ctx):
            made, placed, seller_id = [], [], None
            for spec in DEMO_POBS:
                pob = world.create_pob(ctx, model="ds", seller_id=seller_id, store_code=spec["store_code"],
                                         einvoicing=spec["einvoicing"],
                                         shipping_api_access=spec["shipping_api_access"])
                seller_id = pob["seller_id"]
                placed.append(world.place_orders(ctx, pob["pob_id"], count=spec["orders"], seed=1))
                made.append(pob)
            return made, placed

        (made, placed), _ = sim.transact(build, now=start)
        _progress(sim, made[0]["pob_id"], placed[0], start, now)
        existing = _existing(sim)
    if DEMO_JIT["store_code"] not in existing or DEMO_VMS["store_code"] not in existing:
        seller_id = next(existing[code]["seller_id"] for code in DEMO_CODES if code in existing)
        _other_models(sim, seller_id, existing, now)
        existing = _existing(sim)
    return [existing[code] for code in DEMO_CODES if code in existing]


def _existing(sim) -> dict[str, dict]:
    """The demo POBs already in the store, by store code."""
    with sim.store.read() as conn:
        rows = conn.execute(select(pobs).where(pobs.c.store_code.in_(DEMO_CODES))).mappings().all()
    return {r["store_code"]: sellers.public_pob(dict(r)) for r in rows}


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
        for order_id in (dispatched, returned):  # a manifest per order: they may ship with different carriers
            d = load(ctx, "order", order_id)["data"]
            fulfilment.dispatch_orders(ctx, pob_id, [{"masterAWB": d["tracking_number"], "orderId": order_id,
                                                      "invoiceNo": d["invoice"]["invoice_number"]}])

    def pick_up(ctx):  # the courier came early (its timer, a day after the manifest, then finds nothing to do)
        for order_id in (dispatched, returned):
            courier.courier_pickup(ctx, order_id)

    def deliver_and_return(ctx):
        courier.courier_deliver(ctx, returned)
        returns.customer_return(ctx, returned, None, "SIZE_FIT_ISSUES")

    sim.transact(acknowledge, now=start + 10 * 60)
    sim.tick()  # POs issued at their due time, half an hour later
    sim.transact(fulfil, now=start + HOUR)
    sim.transact(pick_up, now=start + 2 * HOUR)
    sim.transact(deliver_and_return, now=now - 2 * HOUR)
    sim.tick()


def _other_models(sim, seller_id: str, existing: dict, now: int) -> None:
    """The JIT and VMS POBs, built after the Dropship world (its ids and states stay as they were):
    JIT, 3 POs in pendency and 1 invoiced; VMS, 3 orders awaiting acknowledgement and 2 acknowledged
    whose B2B PO AJIO has issued. Built far enough in the past that the PO lag has run out."""
    start = now - sim.config.po_lag - HOUR
    made = {}

    def build(ctx):
        if DEMO_JIT["store_code"] not in existing:
            pob = world.create_pob(ctx, model="jit", seller_id=seller_id, store_code=DEMO_JIT["store_code"],
                                     einvoicing=DEMO_JIT["einvoicing"])
            made["jit"] = (pob["pob_id"], world.place_orders(ctx, pob["pob_id"], count=DEMO_JIT["orders"], seed=1))
        if DEMO_VMS["store_code"] not in existing:
            pob = world.create_pob(ctx, model="vms", seller_id=seller_id, store_code=DEMO_VMS["store_code"])
            made["vms"] = (pob["pob_id"], world.place_orders(ctx, pob["pob_id"], count=DEMO_VMS["orders"], seed=1))

    def progress(ctx):
        if "jit" in made:
            pob_id, ids = made["jit"]
            jit_fulfilment.generate_invoice(ctx, pob_id, ids[-1])
        if "vms" in made:
            pob_id, ids = made["vms"]
            for order_id in ids[-2:]:
                vms_orders.acknowledge_order(ctx, pob_id, order_id)

    sim.transact(build, now=start)
    sim.transact(progress, now=start + 10 * MINUTE)
    sim.tick()  # the acknowledged orders' POs are issued at their due time, po_lag later
