"""Domain faults: AJIO's world misbehaving (a PO held back, an order shown again), not the wire."""
from __future__ import annotations

import copy

from sqlalchemy import select, update

from simulator.domain import orders as ds_orders
from simulator.domain.context import load, save
from simulator.errors import NotFound
from simulator.store import orders, timers

# Timer kinds that issue a PO; a model whose PO follows another timer adds its kind here.
PO_TIMER_KINDS = ["po_issue"]


def hold_po(sim, entity_ids: list[str], until: int) -> list[str]:
    """Orders among `entity_ids` still waiting for their PO get it no earlier than `until`."""
    held = []

    def apply(ctx):
        held.clear()
        for entity_id in dict.fromkeys(entity_ids):
            row = ctx.conn.execute(select(orders.c.order_id).where(orders.c.order_id == entity_id)).first()
            if row is None:
                continue
            rec = load(ctx, "order", entity_id)
            data = rec["data"]
            if data.get("po") is not None or data.get("po_due_at") is None:
                continue
            due = max(int(data["po_due_at"]), until)
            data["po_due_at"] = due
            ctx.conn.execute(update(timers).where(timers.c.entity_id == entity_id, timers.c.kind.in_(PO_TIMER_KINDS),
                                                  timers.c.fired_at.is_(None)).values(due_at=due))
            save(ctx, "order", rec)
            held.append(entity_id)

    if entity_ids:
        sim.transact(apply)
    return held


def repeat_order(sim, page: list[dict], pob_id: str | None, order_id: str | None) -> str | None:
    """List an order twice on this page: `order_id` (shown again even after it left pendency) or the first."""
    if order_id is None:
        if not page:
            return None
        page.append(copy.deepcopy(page[0]))
        return page[0].get("order_id")
    for entry in page:
        if entry.get("order_id") == order_id:
            page.append(copy.deepcopy(entry))
            return order_id
    ghost = _ghost(sim, order_id, pob_id)
    if ghost is None:
        return None
    page.append(ghost)
    return order_id


def _ghost(sim, order_id: str, pob_id: str | None) -> dict | None:
    """A Dropship order as pendency showed it before acknowledgement: every line still open."""
    def view(ctx):
        try:
            rec = load(ctx, "order", order_id, pob_id)
        except NotFound:
            return None
        if rec["model"] != "ds":
            return None
        rec["data"]["lines"] = [{**line, "acknowledged": False} for line in rec["data"]["lines"]]
        return ds_orders.pendency_view(rec)
    return sim.read(view)[0]


def is_acknowledgement(who, request) -> bool:
    if who.method != "POST":
        return False
    if who.path == "/ds/orders":
        body = request.get_json(silent=True) or {}
        return isinstance(body, dict) and body.get("status") == "Acknowledge"
    return who.path.startswith("/vms/orders/") and who.path.endswith("/acknowledge")
