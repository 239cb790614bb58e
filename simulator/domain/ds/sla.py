"""AJIO's side of a slow Dropship seller: an order not acknowledged within the acknowledgement SLA is
cancelled by AJIO; one not manifested within the dispatch SLA is flagged, and cancelled when the world
says so (docs/dropship.md "SLAs"; the dispatch SLA after Fynd's AJIO page, the rest not grounded).

The deadlines are set on the order when it is placed (`acknowledge_by`, `dispatch_by`, both shown to
the connector) and each is a timer at that instant; a setting turned off later makes its timer a no-op.
"""
from __future__ import annotations

from sqlalchemy import insert

from simulator.domain import timing
from simulator.domain.context import load, move, record_transition, save
from simulator.domain.ds.machines import DS_ORDER
from simulator.domain.orders import open_qty, restock
from simulator.lifecycle import timer_handler
from simulator.store import timers

ACK_TIMER = "ds_ack_sla"
DISPATCH_TIMER = "ds_dispatch_sla"
# Before the manifest: what the dispatch SLA still waits for.
NOT_DISPATCHED = ("CREATED", "CONFIRMED", "INVOICED", "PACKED")


def deadlines(s: timing.Settings, order_date: int) -> dict:
    return {"acknowledge_by": order_date + s.ack_sla if s.ack_sla else None,
            "dispatch_by": order_date + s.dispatch_sla if s.dispatch_sla else None,
            "sla_breached": False, "cancelled_by": None, "cancellation_reason": None}


def schedule_deadlines(ctx, placed: list[tuple[str, dict]]) -> None:
    """One timer per deadline of each placed order, inserted in one statement (bulk placement)."""
    rows = [{"kind": kind, "entity_id": order_id, "due_at": int(due)}
            for order_id, sla in placed for kind, due in ((ACK_TIMER, sla["acknowledge_by"]),
                                                          (DISPATCH_TIMER, sla["dispatch_by"])) if due]
    if rows:
        ctx.conn.execute(insert(timers), rows)


def _cancel(ctx, rec: dict, reason: str, cause: str) -> None:
    """AJIO cancels what is still open: counted against the seller (cancelled, or short-picked once
    acknowledged), the units back in AJIO's view of stock, as a seller's cancellation would."""
    for line in rec["data"]["lines"]:
        qty = open_qty(line)
        if qty <= 0:
            continue
        if line["acknowledged"]:
            line["seller_short_picked_qty"] += qty
        else:
            line["seller_cancelled_qty"] += qty
        restock(ctx, rec, line, qty)
    move(ctx, DS_ORDER, rec, "sla_cancel", cause)
    rec["data"].update(cancelled_by="AJIO", cancellation_reason=reason)


@timer_handler(ACK_TIMER)
def _ack_deadline(ctx, order_id: str) -> None:
    rec = load(ctx, "order", order_id)
    if rec["status"] != "CREATED" or rec["data"].get("acknowledge_by") != ctx.now or not timing.settings(ctx).ack_sla:
        return
    hours = round((ctx.now - rec["order_date"]) / 3600, 1)
    _cancel(ctx, rec, "ACK_SLA_BREACHED", f"AJIO cancelled the order: not acknowledged within {hours:g} h (SLA)")
    save(ctx, "order", rec)


@timer_handler(DISPATCH_TIMER)
def _dispatch_deadline(ctx, order_id: str) -> None:
    rec = load(ctx, "order", order_id)
    s = timing.settings(ctx)
    if rec["status"] not in NOT_DISPATCHED or rec["data"].get("dispatch_by") != ctx.now or not s.dispatch_sla:
        return
    hours = round((ctx.now - rec["order_date"]) / 3600, 1)
    rec["data"]["sla_breached"] = True
    if s.dispatch_sla_cancel:
        _cancel(ctx, rec, "DISPATCH_SLA_BREACHED",
                f"AJIO cancelled the order: not manifested within {hours:g} h of the order (dispatch SLA)")
    else:
        record_transition(ctx, "order", order_id, rec["status"], rec["status"],
                          f"dispatch SLA breached: not manifested within {hours:g} h of the order (flagged)")
    save(ctx, "order", rec)
