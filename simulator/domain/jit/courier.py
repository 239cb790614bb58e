"""The courier of a JIT PO: picks up manifested POs and delivers them to AJIO's warehouse (seed 001)."""
from __future__ import annotations

from simulator.domain.context import move, save
from simulator.domain.jit.machines import JIT_PO
from simulator.domain.jit.orders import load_po
from simulator.errors import Conflict
from simulator.lifecycle import schedule, timer_handler

# Timer kinds: the manifest schedules PICKUP, the pickup schedules DELIVER.
PICKUP = "jit_pickup"
DELIVER = "jit_deliver"


def courier_pickup(ctx, order_id: str) -> dict:
    rec = load_po(ctx, order_id)
    if not rec["data"]["manifest_id"]:
        # Ready to ship at pack: READY_TO_DISPATCH before any manifest, and the courier takes only manifested POs.
        raise Conflict(f"PO {order_id} is on no manifest yet: the courier picks up manifested POs",
                       field="order_id", rule=JIT_PO.rules["pickup"])
    move(ctx, JIT_PO, rec, "pickup", f"courier picked up master AWB {rec['data']['master_awb']}")
    save(ctx, "order", rec)
    if ctx.config.deliver_after:
        schedule(ctx, DELIVER, order_id, ctx.now + ctx.config.deliver_after)
    return {"order_id": order_id, "status": rec["status"]}


def courier_deliver(ctx, order_id: str) -> dict:
    rec = load_po(ctx, order_id)
    move(ctx, JIT_PO, rec, "deliver", f"delivered to {rec['data']['deliver_to']['name']}")
    save(ctx, "order", rec)
    return {"order_id": order_id, "status": rec["status"]}


@timer_handler(PICKUP)
def _pickup_timer(ctx, order_id: str) -> None:
    courier_pickup(ctx, order_id)


@timer_handler(DELIVER)
def _deliver_timer(ctx, order_id: str) -> None:
    courier_deliver(ctx, order_id)
