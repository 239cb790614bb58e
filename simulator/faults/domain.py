"""Domain faults: AJIO's world misbehaving (a PO held back, an order shown again), not the wire."""
from __future__ import annotations

import copy

from simulator.domain import world
from simulator.errors import SimulatorError


def hold_po(sim, entity_ids: list[str], until: int) -> list[str]:
    """Orders among `entity_ids` still waiting for their PO get it no earlier than `until`."""
    held = []

    def apply(ctx):
        held.clear()
        held.extend(entity_id for entity_id in dict.fromkeys(entity_ids) if world.hold_po(ctx, entity_id, until))

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
    return sim.read(lambda ctx: world.pendency_ghost(ctx, order_id, pob_id))[0]


def is_acknowledgement(who, request) -> bool:
    if who.method != "POST":
        return False
    if who.path == "/ds/orders":
        body = request.get_json(silent=True) or {}
        return isinstance(body, dict) and body.get("status") == "Acknowledge"
    return who.path.startswith("/vms/orders/") and who.path.endswith("/acknowledge")


def customer_cancel(sim, order_id: str, lines: list[dict] | None) -> str | None:
    """The customer cancels the order (or units of its lines) now; the world's refusal, if it refuses, as text."""
    try:
        sim.transact(lambda ctx: world.customer_cancel(ctx, order_id, lines))
    except SimulatorError as exc:
        return str(exc)
    return None
