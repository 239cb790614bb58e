"""The courier of a B2C shipment (Dropship, VMS): pickup after the manifest, then delivery, by the
control plane or by the timers the manifest schedules (seed 000 point 10, seed 003 step 9)."""
from __future__ import annotations

from simulator.domain.context import load, move, save
from simulator.domain.machine import order_machine
from simulator.lifecycle import schedule, timer_handler

# Timer kinds: the manifest schedules PICKUP (a day later by default), the pickup schedules DELIVER.
PICKUP = "courier_pickup"
DELIVER = "courier_deliver"


def courier_pickup(ctx, order_id: str) -> dict:
    rec = load(ctx, "order", order_id)
    move(ctx, order_machine(rec), rec, "pickup", f"courier picked up AWB {rec['data']['tracking_number']}")
    save(ctx, "order", rec)
    if ctx.config.deliver_after:
        schedule(ctx, DELIVER, order_id, ctx.now + ctx.config.deliver_after)
    return {"order_id": order_id, "status": rec["status"]}


def courier_deliver(ctx, order_id: str) -> dict:
    rec = load(ctx, "order", order_id)
    move(ctx, order_machine(rec), rec, "deliver", "courier delivered to the customer")
    save(ctx, "order", rec)
    return {"order_id": order_id, "status": rec["status"]}


@timer_handler(PICKUP)
def _pickup_timer(ctx, order_id: str) -> None:
    courier_pickup(ctx, order_id)


@timer_handler(DELIVER)
def _deliver_timer(ctx, order_id: str) -> None:
    courier_deliver(ctx, order_id)
